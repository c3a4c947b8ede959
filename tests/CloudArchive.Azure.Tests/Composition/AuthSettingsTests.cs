using CloudArchive.Azure.Composition;
using Xunit;

namespace CloudArchive.Azure.Tests.Composition;

/// <summary>The authentication settings and where the development issuer may be trusted.</summary>
public sealed class AuthSettingsTests : IDisposable
{
    private const string Tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private readonly string _devIssuer = Directory.CreateTempSubdirectory("ca-dev-issuer-").FullName;

    public void Dispose() => Directory.Delete(_devIssuer, recursive: true);

    private static AuthSettings Read(Dictionary<string, string?> values, string? azureInstance = null) =>
        AuthSettings.Read(key => values.GetValueOrDefault(key), "/", name => name == KeySettings.AzureInstanceVariable ? azureInstance : null);

    private static Dictionary<string, string?> Entra() => new()
    {
        [AuthSettings.TenantIdKey] = Tenant.ToUpperInvariant(),
        [AuthSettings.AudienceKey] = "api://cloudarchive",
    };

    private Dictionary<string, string?> Development(string urls = "http://127.0.0.1:0")
    {
        var values = Entra();
        values[AuthSettings.DevelopmentIssuerKeyDirectoryKey] = _devIssuer;
        values[AuthSettings.LocalHostEnabledKey] = "true";
        values[AuthSettings.UrlsKey] = urls;
        return values;
    }

    [Fact]
    public void Nothing_configured_is_an_error_there_is_no_unauthenticated_mode()
    {
        var settings = Read([]);

        Assert.Contains(settings.Problems, p => p.Contains(AuthSettings.TenantIdKey, StringComparison.Ordinal) && p.Contains("never runs unauthenticated", StringComparison.Ordinal));
        Assert.Contains(settings.Problems, p => p.Contains(AuthSettings.AudienceKey, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("contoso.onmicrosoft.com")]
    [InlineData("common")]
    [InlineData("organizations")]
    public void The_tenant_must_be_one_tenant_id_not_a_name_or_a_multi_tenant_alias(string tenant)
    {
        var values = Entra();
        values[AuthSettings.TenantIdKey] = tenant;

        Assert.Contains(Read(values).Problems, p => p.Contains(AuthSettings.TenantIdKey, StringComparison.Ordinal));
    }

    [Fact]
    public void Entra_ID_settings_give_the_tenant_metadata_both_issuers_and_both_audiences()
    {
        var values = Entra();
        values[AuthSettings.ClientIdKey] = "11111111-2222-4333-8444-555555555555";

        var settings = Read(values);

        Assert.Empty(settings.Problems);
        Assert.False(settings.UsesDevelopmentIssuer);
        Assert.Equal(Tenant, settings.TenantId);
        Assert.Equal(["api://cloudarchive", "11111111-2222-4333-8444-555555555555"], settings.Audiences);
        Assert.Equal(new Uri($"https://login.microsoftonline.com/{Tenant}/v2.0/.well-known/openid-configuration"), settings.EntraMetadataAddress);
        Assert.Equal([$"https://login.microsoftonline.com/{Tenant}/v2.0", $"https://sts.windows.net/{Tenant}/"], settings.EntraIssuers);
    }

    [Fact]
    public void A_client_id_that_is_not_a_GUID_is_an_error()
    {
        var values = Entra();
        values[AuthSettings.ClientIdKey] = "not-a-guid";

        Assert.Contains(Read(values).Problems, p => p.Contains(AuthSettings.ClientIdKey, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://login.microsoftonline.com/")]
    [InlineData("https://login.microsoftonline.com/common/")]
    [InlineData("login.microsoftonline.com")]
    public void The_instance_must_be_an_https_root_URL(string instance)
    {
        var values = Entra();
        values[AuthSettings.InstanceKey] = instance;

        Assert.Contains(Read(values).Problems, p => p.Contains(AuthSettings.InstanceKey, StringComparison.Ordinal));
    }

    [Fact]
    public void A_sovereign_instance_is_used_for_metadata_and_the_v2_issuer_only()
    {
        var values = Entra();
        values[AuthSettings.InstanceKey] = "https://login.microsoftonline.us";

        var settings = Read(values);

        Assert.Empty(settings.Problems);
        Assert.Equal([$"https://login.microsoftonline.us/{Tenant}/v2.0"], settings.EntraIssuers);
    }

    [Theory]
    [InlineData("http://127.0.0.1:0")]
    [InlineData("http://localhost:7071")]
    [InlineData("http://[::1]:7071;http://127.0.0.1:7071")]
    public void The_development_issuer_is_trusted_in_the_local_host_on_loopback_outside_Azure(string urls)
    {
        var settings = Read(Development(urls));

        Assert.Empty(settings.Problems);
        Assert.True(settings.UsesDevelopmentIssuer);
        Assert.Equal(_devIssuer, settings.DevelopmentIssuerKeyDirectory);
    }

    [Fact]
    public void The_development_issuer_on_an_Azure_instance_is_an_error()
    {
        var settings = Read(Development(), azureInstance: "abc123");

        Assert.Contains(settings.Problems, p => p.Contains(KeySettings.AzureInstanceVariable, StringComparison.Ordinal));
        Assert.False(settings.UsesDevelopmentIssuer);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("false")]
    public void The_development_issuer_outside_the_local_host_is_an_error(string? enabled)
    {
        var values = Development();
        values[AuthSettings.LocalHostEnabledKey] = enabled;

        Assert.Contains(Read(values).Problems, p => p.Contains(AuthSettings.LocalHostEnabledKey, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://0.0.0.0:7071")]
    [InlineData("http://*:7071")]
    [InlineData("http://+:7071")]
    [InlineData("http://[::]:7071")]
    [InlineData("http://myhost.example:7071")]
    [InlineData("http://127.0.0.1:7071;http://192.168.1.10:7071")]
    public void The_development_issuer_on_a_non_loopback_URL_is_an_error(string urls)
    {
        Assert.Contains(Read(Development(urls)).Problems, p => p.Contains("non-loopback", StringComparison.Ordinal));
    }

    [Fact]
    public void LocalHost_Urls_wins_over_urls_when_checking_loopback()
    {
        var values = Development("http://127.0.0.1:0");
        values[AuthSettings.LocalHostUrlsKey] = "http://0.0.0.0:7071";

        Assert.Contains(Read(values).Problems, p => p.Contains("non-loopback", StringComparison.Ordinal));
    }

    [Fact]
    public void The_development_issuer_with_HTTP_PORTS_binding_every_interface_is_an_error()
    {
        var values = Development();
        values[AuthSettings.UrlsKey] = null;
        values["http_ports"] = "8080";

        Assert.Contains(Read(values).Problems, p => p.Contains("every interface", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_development_key_directory_is_an_error()
    {
        var values = Development();
        values[AuthSettings.DevelopmentIssuerKeyDirectoryKey] = Path.Combine(_devIssuer, "missing");

        Assert.Contains(Read(values).Problems, p => p.Contains("does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public void Auth_problems_are_their_own_section_so_the_CLI_is_not_stopped_by_them()
    {
        var settings = CloudArchiveSettings.Read(_ => null, "/", _ => null);

        Assert.Contains(settings.Problems, p => p.Section == CloudArchiveSettings.Sections.Auth);
        Assert.DoesNotContain(CloudArchiveSettings.Sections.Auth, CloudArchiveSettings.Sections.All);
        Assert.Throws<ArchiveConfigurationException>(() => settings.ThrowIfInvalid(CloudArchiveSettings.Sections.Auth));
    }
}
