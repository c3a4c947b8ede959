using System.Text.RegularExpressions;
using CloudArchive.Infra.Tests.Tooling;
using Xunit;

namespace CloudArchive.Infra.Tests;

/// <summary>No secret in any template or parameter file, and nothing in the template fetches one.</summary>
public sealed partial class SecretPolicyTests
{
    public static TheoryData<string> InfraFiles => [.. InfraPaths.BicepFiles.Concat(InfraPaths.ParameterFiles).Select(f => Path.GetRelativePath(InfraPaths.Infra, f))];

    [Theory]
    [MemberData(nameof(InfraFiles))]
    public void The_file_holds_no_key_sas_password_or_connection_string(string file)
    {
        var text = File.ReadAllText(Path.Combine(InfraPaths.Infra, file));

        Assert.DoesNotMatch(SecretPattern(), text);
    }

    [Fact]
    public async Task The_template_never_lists_keys_or_sas_tokens()
    {
        var json = (await CompiledInfrastructure.MainAsync()).Root.ToJsonString();

        Assert.DoesNotMatch(ListCallPattern(), json);
    }

    [Fact]
    public async Task The_template_has_no_secure_parameters_that_could_carry_a_secret()
    {
        var main = await CompiledInfrastructure.MainAsync();

        Assert.DoesNotContain(main.Root["parameters"]!.AsObject(), p => ((string?)p.Value!["type"])!.StartsWith("secure", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(main.Root["outputs"]!.AsObject(), o => ((string?)o.Value!["type"])!.StartsWith("secure", StringComparison.OrdinalIgnoreCase)
            || o.Key.Contains("secret", StringComparison.OrdinalIgnoreCase) || o.Key.Contains("password", StringComparison.OrdinalIgnoreCase)
            || o.Key.Contains("connectionString", StringComparison.OrdinalIgnoreCase) || o.Key.EndsWith("Key", StringComparison.Ordinal));
    }

    // Account keys (88 base64 characters), SAS signatures, connection-string secrets, client secrets and passwords.
    [GeneratedRegex(@"AccountKey=|SharedAccessSignature=|[?&]sig=|InstrumentationKey=[0-9a-f]|clientSecret\s*[:=]\s*'[^']|password\s*[:=]\s*'[^']|[A-Za-z0-9+/]{86}==", RegexOptions.IgnoreCase)]
    private static partial Regex SecretPattern();

    [GeneratedRegex(@"list(Keys|AccountSas|ServiceSas|Secrets|ConnectionStrings|Credentials?)\(", RegexOptions.IgnoreCase)]
    private static partial Regex ListCallPattern();
}
