using System.Text.Json.Nodes;
using CloudArchive.Infra.Tests.Tooling;
using Xunit;

namespace CloudArchive.Infra.Tests;

/// <summary>The data account (data-storage module): Entra ID only, HTTPS/TLS 1.2, private, recoverable, WORM audit, tiering.</summary>
public sealed class DataStoragePolicyTests
{
    private static async Task<ArmTemplate> ModuleAsync() => (await CompiledInfrastructure.MainAsync()).Module("data-storage").Template;

    private static async Task<JsonObject> AccountAsync() => (await ModuleAsync()).Single("Microsoft.Storage/storageAccounts")["properties"]!.AsObject();

    [Fact]
    public async Task Shared_key_access_is_disabled_on_the_data_account()
    {
        var account = await AccountAsync();

        Assert.False((bool?)account["allowSharedKeyAccess"] ?? true, "allowSharedKeyAccess must be false: no account key, no SAS");
        Assert.True((bool?)account["defaultToOAuthAuthentication"], "the portal must default to Entra ID");
    }

    [Fact]
    public async Task Public_blob_access_and_cross_tenant_replication_are_disabled_on_the_data_account()
    {
        var account = await AccountAsync();

        Assert.False((bool?)account["allowBlobPublicAccess"] ?? true, "allowBlobPublicAccess must be false");
        Assert.False((bool?)account["allowCrossTenantReplication"] ?? true, "allowCrossTenantReplication must be false");
        Assert.All((await ModuleAsync()).OfType("Microsoft.Storage/storageAccounts/blobServices/containers"),
            c => Assert.Equal("None", (string?)c["properties"]!["publicAccess"]));
    }

    [Fact]
    public async Task The_data_account_accepts_https_only_with_tls_1_2()
    {
        var account = await AccountAsync();

        Assert.True((bool?)account["supportsHttpsTrafficOnly"], "supportsHttpsTrafficOnly must be true");
        Assert.Equal("TLS1_2", (string?)account["minimumTlsVersion"]);
    }

    [Fact]
    public async Task Public_network_access_of_the_data_account_follows_the_parameter_and_denies_by_default_when_closed()
    {
        var account = await AccountAsync();

        Assert.Equal("[parameters('publicNetworkAccess')]", (string?)account["publicNetworkAccess"]);
        Assert.Equal("[if(equals(parameters('publicNetworkAccess'), 'Disabled'), 'Deny', 'Allow')]", (string?)account["networkAcls"]!["defaultAction"]);
        Assert.Equal("AzureServices", (string?)account["networkAcls"]!["bypass"]);
    }

    [Fact]
    public async Task Versioning_blob_soft_delete_and_container_soft_delete_are_on_in_the_data_account()
    {
        var service = (await ModuleAsync()).Single("Microsoft.Storage/storageAccounts/blobServices")["properties"]!;

        Assert.True((bool?)service["isVersioningEnabled"], "versioning must be on");
        Assert.True((bool?)service["deleteRetentionPolicy"]!["enabled"], "blob soft delete must be on");
        Assert.True((bool?)service["containerDeleteRetentionPolicy"]!["enabled"], "container soft delete must be on");
    }

    [Fact]
    public async Task Audit_has_a_time_based_immutability_policy_that_allows_protected_appends_to_all_blob_types()
    {
        var module = await ModuleAsync();
        var policy = Assert.Single(module.OfType("Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies"),
            p => ((string?)p["name"])!.Contains("parameters('auditContainerName')", StringComparison.Ordinal));

        Assert.Equal("[parameters('auditImmutabilityDays')]", (string?)policy["properties"]!["immutabilityPeriodSinceCreationInDays"]);
        Assert.True((bool?)policy["properties"]!["allowProtectedAppendWritesAll"], "allowProtectedAppendWritesAll must be true (append blobs and the seals' blocks)");
        Assert.Null(policy["properties"]!["allowProtectedAppendWrites"]);
        Assert.Equal("[variables('containerNames').Audit]", (await CompiledInfrastructure.MainAsync()).Module("data-storage").Parameter("auditContainerName")!.GetValue<string>());
    }

    [Fact]
    public async Task Seals_have_a_time_based_immutability_policy_without_appends()
    {
        var module = await ModuleAsync();
        var policy = Assert.Single(module.OfType("Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies"),
            p => ((string?)p["name"])!.Contains("parameters('sealsContainerName')", StringComparison.Ordinal));

        Assert.Equal("[parameters('auditImmutabilityDays')]", (string?)policy["properties"]!["immutabilityPeriodSinceCreationInDays"]);
        Assert.False((bool?)policy["properties"]!["allowProtectedAppendWrites"], "a seal is written once and never grows");
        Assert.False((bool?)policy["properties"]!["allowProtectedAppendWritesAll"], "a seal is written once and never grows");
        Assert.Equal("[variables('containerNames').Seals]", (await CompiledInfrastructure.MainAsync()).Module("data-storage").Parameter("sealsContainerName")!.GetValue<string>());
    }

    [Fact]
    public async Task Archive_blobs_tier_to_cool_then_cold_by_age_and_never_to_the_archive_tier()
    {
        var module = await ModuleAsync();
        var rule = Assert.Single(module.Single("Microsoft.Storage/storageAccounts/managementPolicies")["properties"]!["policy"]!["rules"]!.AsArray())!;
        var definition = rule["definition"]!;
        var actions = definition["actions"]!["baseBlob"]!.AsObject();

        Assert.True((bool?)rule["enabled"]);
        Assert.Equal("[format('{0}/', parameters('archiveContainerName'))]", (string?)Assert.Single(definition["filters"]!["prefixMatch"]!.AsArray()));
        Assert.Equal("[parameters('archiveCoolAfterDays')]", (string?)actions["tierToCool"]!["daysAfterCreationGreaterThan"]);
        Assert.Equal("[parameters('archiveColdAfterDays')]", (string?)actions["tierToCold"]!["daysAfterCreationGreaterThan"]);
        Assert.False(actions.ContainsKey("tierToArchive"), "an export must never wait hours for a rehydration");
        Assert.False(actions.ContainsKey("delete"), "retention, not a lifecycle rule, decides when an archive blob may go");
    }

    [Fact]
    public async Task Infrastructure_encryption_is_required_on_the_data_account()
    {
        var account = await AccountAsync();

        Assert.True((bool?)account["encryption"]!["requireInfrastructureEncryption"]);
    }
}
