using System.Text.Json.Nodes;
using CloudArchive.Infra.Tests.Tooling;
using Xunit;

namespace CloudArchive.Infra.Tests;

/// <summary>Key Vault (key-vault module): Premium, RBAC, purge protection, 90 days of soft delete, HSM keys.</summary>
public sealed class KeyVaultPolicyTests
{
    private static async Task<ArmTemplate> ModuleAsync() => (await CompiledInfrastructure.MainAsync()).Module("key-vault").Template;

    private static async Task<JsonNode> VaultAsync() => (await ModuleAsync()).Single("Microsoft.KeyVault/vaults")["properties"]!;

    private static async Task<JsonNode> KeyAsync(string nameParameter) =>
        Assert.Single((await ModuleAsync()).OfType("Microsoft.KeyVault/vaults/keys"), k => ((string?)k["name"])!.Contains(nameParameter, StringComparison.Ordinal))["properties"]!;

    [Fact]
    public async Task Purge_protection_is_enabled()
    {
        Assert.True((bool?)(await VaultAsync())["enablePurgeProtection"], "enablePurgeProtection must be true");
    }

    [Fact]
    public async Task Soft_delete_keeps_deleted_keys_for_90_days()
    {
        var vault = await VaultAsync();

        Assert.True((bool?)vault["enableSoftDelete"]);
        Assert.Equal(90, (int?)vault["softDeleteRetentionInDays"]);
    }

    [Fact]
    public async Task The_vault_is_premium_and_uses_azure_rbac()
    {
        var vault = await VaultAsync();

        Assert.Equal("premium", (string?)vault["sku"]!["name"]);
        Assert.True((bool?)vault["enableRbacAuthorization"], "access policies must not be used");
        Assert.False((bool?)vault["enabledForTemplateDeployment"] ?? true);
        Assert.Equal("[parameters('publicNetworkAccess')]", (string?)vault["publicNetworkAccess"]);
    }

    [Fact]
    public async Task The_kek_is_rsa_hsm_3072_for_wrap_and_unwrap_only()
    {
        var kek = await KeyAsync("kekName");

        Assert.Equal("RSA-HSM", (string?)kek["kty"]);
        Assert.Equal(3072, (int?)kek["keySize"]);
        Assert.Equal(["wrapKey", "unwrapKey"], kek["keyOps"]!.AsArray().Select(o => (string?)o));
        Assert.False((bool?)kek["attributes"]!["exportable"] ?? true);
    }

    [Fact]
    public async Task The_kek_has_a_rotation_policy_that_rotates()
    {
        var policy = (await KeyAsync("kekName"))["rotationPolicy"]!;

        var rotate = Assert.Single(policy["lifetimeActions"]!.AsArray(), a => (string?)a!["action"]!["type"] == "rotate")!;
        Assert.Equal("[parameters('kekRotateAfter')]", (string?)rotate["trigger"]!["timeAfterCreate"]);
        Assert.Equal("[parameters('kekExpiresAfter')]", (string?)policy["attributes"]!["expiryTime"]);
    }

    [Fact]
    public async Task An_hsm_signing_key_for_the_audit_seals_exists_with_sign_and_verify_only()
    {
        var signing = await KeyAsync("signingKeyName");

        Assert.Equal("EC-HSM", (string?)signing["kty"]);
        Assert.Equal(["sign", "verify"], signing["keyOps"]!.AsArray().Select(o => (string?)o));
    }
}
