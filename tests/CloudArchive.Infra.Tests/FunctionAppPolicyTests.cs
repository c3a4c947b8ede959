using System.Text.Json.Nodes;
using CloudArchive.Infra.Tests.Tooling;
using Xunit;

namespace CloudArchive.Infra.Tests;

/// <summary>The function app (function-app module): Flex Consumption, .NET 10 isolated, identity-only, App Service Authentication.</summary>
public sealed class FunctionAppPolicyTests
{
    private static async Task<ArmTemplate> ModuleAsync() => (await CompiledInfrastructure.MainAsync()).Module("function-app").Template;

    private static async Task<JsonObject> SiteAsync() => (await ModuleAsync()).Single("Microsoft.Web/sites");

    private static async Task<JsonNode> ConfigAsync(string name) =>
        Assert.Single((await ModuleAsync()).OfType("Microsoft.Web/sites/config"), c => ((string?)c["name"])!.Contains($"'{name}'", StringComparison.Ordinal))["properties"]!;

    [Fact]
    public async Task The_plan_is_flex_consumption_fc1_on_linux()
    {
        var plan = (await ModuleAsync()).Single("Microsoft.Web/serverfarms");

        Assert.Equal("FC1", (string?)plan["sku"]!["name"]);
        Assert.Equal("FlexConsumption", (string?)plan["sku"]!["tier"]);
        Assert.True((bool?)plan["properties"]!["reserved"], "Flex Consumption runs on Linux");
    }

    [Fact]
    public async Task The_runtime_is_the_dotnet_10_isolated_worker()
    {
        var runtime = (await SiteAsync())["properties"]!["functionAppConfig"]!["runtime"]!;

        Assert.Equal("dotnet-isolated", (string?)runtime["name"]);
        Assert.Equal("10.0", (string?)runtime["version"]);
    }

    [Fact]
    public async Task The_app_runs_as_its_user_assigned_identity_only()
    {
        var identity = (await SiteAsync())["identity"]!;

        Assert.Equal("UserAssigned", (string?)identity["type"]);
        Assert.Single(identity["userAssignedIdentities"]!.AsObject());
    }

    [Fact]
    public async Task The_deployment_container_is_reached_with_the_user_assigned_identity()
    {
        var storage = (await SiteAsync())["properties"]!["functionAppConfig"]!["deployment"]!["storage"]!;

        Assert.Equal("blobContainer", (string?)storage["type"]);
        Assert.Equal("UserAssignedIdentity", (string?)storage["authentication"]!["type"]);
        Assert.Equal("[parameters('identityId')]", (string?)storage["authentication"]!["userAssignedIdentityResourceId"]);
        Assert.Null(storage["authentication"]!["storageAccountConnectionStringName"]);
    }

    [Fact]
    public async Task The_app_is_https_only_with_tls_1_2_and_no_ftp()
    {
        var properties = (await SiteAsync())["properties"]!;

        Assert.True((bool?)properties["httpsOnly"], "httpsOnly must be true");
        Assert.Equal("1.2", (string?)properties["siteConfig"]!["minTlsVersion"]);
        Assert.Equal("1.2", (string?)properties["siteConfig"]!["scmMinTlsVersion"]);
        Assert.Equal("Disabled", (string?)properties["siteConfig"]!["ftpsState"]);
    }

    [Fact]
    public async Task Basic_publishing_credentials_are_off_for_ftp_and_scm()
    {
        var policies = (await ModuleAsync()).OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies");

        Assert.Equal(["ftp", "scm"], policies.Select(p => ((string?)p["name"])!.Split('\'')[^2]).Order(StringComparer.Ordinal));
        Assert.All(policies, p => Assert.False((bool?)p["properties"]!["allow"] ?? true));
    }

    [Fact]
    public async Task App_service_authentication_requires_an_entra_id_token_and_answers_401_without_one()
    {
        var auth = await ConfigAsync("authsettingsV2");

        Assert.True((bool?)auth["platform"]!["enabled"]);
        Assert.True((bool?)auth["globalValidation"]!["requireAuthentication"], "requireAuthentication must be true");
        Assert.Equal("Return401", (string?)auth["globalValidation"]!["unauthenticatedClientAction"]);
        Assert.True((bool?)auth["httpSettings"]!["requireHttps"]);
        var entra = auth["identityProviders"]!["azureActiveDirectory"]!;
        Assert.True((bool?)entra["enabled"]);
        Assert.Equal("[parameters('authClientId')]", (string?)entra["registration"]!["clientId"]);
        Assert.Equal("[parameters('authAudience')]", (string?)Assert.Single(entra["validation"]!["allowedAudiences"]!.AsArray()));
        Assert.Null(entra["registration"]!["clientSecretSettingName"]);
    }

    [Fact]
    public async Task Host_storage_and_the_queue_trigger_connection_use_the_managed_identity_not_a_connection_string()
    {
        var settings = (await ConfigAsync("appsettings")).AsObject();

        Assert.False(settings.ContainsKey("AzureWebJobsStorage"), "a connection string needs the account key");
        Assert.False(settings.ContainsKey("CloudArchiveQueues"), "a connection string needs the account key");
        Assert.False(settings.ContainsKey("CloudArchive__Storage__ConnectionString"));
        Assert.Equal("managedidentity", (string?)settings["AzureWebJobsStorage__credential"]);
        Assert.Equal("managedidentity", (string?)settings["CloudArchiveQueues__credential"]);
        Assert.Equal("KeyVault", (string?)settings["CloudArchive__Keys__Provider"]);
        Assert.False(settings.ContainsKey("FUNCTIONS_WORKER_RUNTIME"), "Flex Consumption takes the runtime from functionAppConfig");
    }
}
