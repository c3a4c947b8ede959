using Azure.Core;
using CloudArchive.Azure.Audit;
using CloudArchive.Azure.KeyVault;
using CloudArchive.Core.Audit.Seals;

namespace CloudArchive.Azure.Composition;

/// <summary>
/// Builds the seal signer beside the KEK the key settings name: with Key Vault, the EC-HSM key
/// <c>cloudarchive-audit-seal</c> in the KEK's vault (name overridable with <see cref="KeyNameKey"/>); with the local
/// provider, an EC P-256 file in the local key directory.
/// </summary>
public static class AuditSealSignerFactory
{
    /// <summary>The setting naming the Key Vault signing key.</summary>
    public const string KeyNameKey = "CloudArchive:Audit:SealKeyName";

    /// <summary>Creates the signer.</summary>
    /// <exception cref="ArchiveConfigurationException">The key settings are invalid.</exception>
    public static IAuditSealSigner Create(KeySettings settings, Func<TokenCredential> credential, string? keyName)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(credential);
        return settings.Provider switch
        {
            KeyProviderKind.KeyVault => new KeyVaultAuditSealSigner(
                new KeyVaultKeyClient(KeyVaultKeyIdentifier.Parse(settings.KeyVaultKeyUri!.AbsoluteUri).VaultUri, credential()),
                string.IsNullOrWhiteSpace(keyName) ? KeyVaultAuditSealSigner.DefaultKeyName : keyName.Trim()),
            KeyProviderKind.Local => new LocalAuditSealSigner(Path.Combine(settings.LocalKeyPath!, LocalAuditSealSigner.FileName)),
            _ => throw new ArchiveConfigurationException("key", settings.Problems),
        };
    }
}
