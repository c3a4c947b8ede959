using System.Text.Json.Nodes;
using CloudArchive.Infra.Tests.Tooling;
using Xunit;

namespace CloudArchive.Infra.Tests;

/// <summary>
/// The keyring account (keyring-storage module): hardened like the data account, and with every recovery feature off so
/// that a shredded study key is gone for good (docs/encryption.md).
/// </summary>
public sealed class KeyringStoragePolicyTests
{
    private static async Task<ArmTemplate> ModuleAsync() => (await CompiledInfrastructure.MainAsync()).Module("keyring-storage").Template;

    private static async Task<JsonNode> BlobServiceAsync() => (await ModuleAsync()).Single("Microsoft.Storage/storageAccounts/blobServices")["properties"]!;

    [Fact]
    public async Task Keyring_blob_soft_delete_is_off()
    {
        var service = await BlobServiceAsync();

        Assert.False((bool?)service["deleteRetentionPolicy"]!["enabled"] ?? true, "a soft-deleted study key would outlive its shred");
    }

    [Fact]
    public async Task Keyring_versioning_is_off()
    {
        var service = await BlobServiceAsync();

        Assert.False((bool?)service["isVersioningEnabled"] ?? true, "a previous version would keep a shredded key");
    }

    [Fact]
    public async Task Keyring_container_soft_delete_change_feed_and_point_in_time_restore_are_off()
    {
        var service = await BlobServiceAsync();

        Assert.False((bool?)service["containerDeleteRetentionPolicy"]!["enabled"] ?? true);
        Assert.False((bool?)service["changeFeed"]!["enabled"] ?? true);
        Assert.False((bool?)service["restorePolicy"]!["enabled"] ?? true);
    }

    [Fact]
    public async Task Keyring_has_no_replication_of_deleted_data()
    {
        var module = await ModuleAsync();
        var account = module.Single("Microsoft.Storage/storageAccounts")["properties"]!;

        Assert.Empty(module.OfType("Microsoft.Storage/storageAccounts/objectReplicationPolicies"));
        Assert.False((bool?)account["allowCrossTenantReplication"] ?? true);
    }

    [Fact]
    public async Task Keyring_account_is_entra_id_only_https_only_tls_1_2_and_not_public()
    {
        var account = (await ModuleAsync()).Single("Microsoft.Storage/storageAccounts")["properties"]!;

        Assert.False((bool?)account["allowSharedKeyAccess"] ?? true, "allowSharedKeyAccess must be false on the keyring account");
        Assert.False((bool?)account["allowBlobPublicAccess"] ?? true);
        Assert.True((bool?)account["supportsHttpsTrafficOnly"]);
        Assert.Equal("TLS1_2", (string?)account["minimumTlsVersion"]);
        Assert.Equal("[parameters('publicNetworkAccess')]", (string?)account["publicNetworkAccess"]);
    }

    [Fact]
    public async Task The_keyring_lives_in_its_own_account_not_in_the_data_account()
    {
        var main = await CompiledInfrastructure.MainAsync();
        var dataContainers = main.Module("data-storage").ParameterText("archiveContainers");

        Assert.DoesNotContain("Keyring", dataContainers, StringComparison.Ordinal);
        Assert.Equal("[variables('containerNames').Keyring]", main.Module("keyring-storage").Parameter("keyringContainerName")!.GetValue<string>());
        Assert.NotEqual(main.Module("keyring-storage").ParameterText("name"), main.Module("data-storage").ParameterText("name"));
    }
}
