using System.Text.Json;
using CloudArchive.Infra.Tests.Tooling;
using Xunit;

namespace CloudArchive.Infra.Tests;

/// <summary>infra/ compiles, lints clean (no warnings either) and both parameter files build against main.bicep.</summary>
public sealed class BicepToolingTests
{
    // Every rule that guards a secret, an endpoint, an identity or the what-if preview: a finding of one of these
    // blocks the build even if someone relaxes the "no warnings" test.
    private static readonly string[] SecurityRules =
    [
        "adminusername-should-not-be-literal", "no-hardcoded-env-urls", "no-hardcoded-location", "outputs-should-not-contain-secrets",
        "protect-commandtoexecute-secrets", "secure-parameter-default", "secure-params-in-nested-deploy", "secure-secrets-in-params",
        "use-secure-value-for-secure-inputs", "use-resource-id-functions", "use-stable-resource-identifiers", "no-deployments-resources",
        "what-if-short-circuiting",
    ];

    [Fact]
    public async Task Every_bicep_file_compiles()
    {
        var run = await CompiledInfrastructure.BuildEveryFileAsync();

        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Contains(InfraPaths.BicepFiles, f => f.EndsWith("main.bicep", StringComparison.Ordinal));
        Assert.True(InfraPaths.BicepFiles.Count >= 10, $"expected main.bicep and its modules, found {InfraPaths.BicepFiles.Count} files");
    }

    [Fact]
    public async Task Lint_reports_no_errors_and_no_warnings_in_any_file()
    {
        var run = await CompiledInfrastructure.LintAsync();

        Assert.True(run.Diagnostics.Count == 0, "bicep lint found:\n" + string.Join('\n', run.Diagnostics));
        Assert.True(run.ExitCode == 0, run.Describe());
    }

    [Fact]
    public async Task Main_compiles_without_a_single_diagnostic()
    {
        var run = await CompiledInfrastructure.MainBuildRunAsync();

        Assert.Empty(run.Diagnostics);
    }

    [Fact]
    public void Bicepconfig_raises_the_security_relevant_linter_rules_to_errors()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(InfraPaths.BicepConfig), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var rules = config.RootElement.GetProperty("analyzers").GetProperty("core").GetProperty("rules");

        Assert.True(config.RootElement.GetProperty("analyzers").GetProperty("core").GetProperty("enabled").GetBoolean());
        Assert.All(SecurityRules, rule =>
            Assert.True(rules.TryGetProperty(rule, out var setting) && setting.GetProperty("level").GetString() == "error", $"{rule} must be an error in infra/bicepconfig.json"));
    }

    [Theory]
    [InlineData("main.dev.bicepparam")]
    [InlineData("main.prod.bicepparam")]
    public async Task The_parameter_file_builds_against_main(string file)
    {
        var (run, parameters) = await CompiledInfrastructure.ParametersAsync(file);

        Assert.True(run.ExitCode == 0 && parameters is not null, run.Describe());
        Assert.Empty(run.Diagnostics);
    }

    [Fact]
    public void Exactly_the_dev_and_prod_parameter_files_exist()
    {
        Assert.Equal(["main.dev.bicepparam", "main.prod.bicepparam"], InfraPaths.ParameterFiles.Select(Path.GetFileName));
    }
}
