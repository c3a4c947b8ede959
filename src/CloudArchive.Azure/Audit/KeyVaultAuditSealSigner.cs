using CloudArchive.Azure.KeyVault;
using CloudArchive.Core.Audit.Seals;

namespace CloudArchive.Azure.Audit;

/// <summary>
/// Signs seals with the Key Vault EC-HSM P-256 key <c>cloudarchive-audit-seal</c> (ES256, <c>POST {kid}/sign</c>); the
/// private key never leaves the vault. Verification uses the vault's <c>verify</c> with the seal's versioned key id, so
/// seals signed before a key rotation still check; a key id outside this vault does not verify.
/// </summary>
public sealed class KeyVaultAuditSealSigner : IAuditSealSigner
{
    /// <summary>The signing key's name that infra creates (infra/modules/key-vault.bicep).</summary>
    public const string DefaultKeyName = "cloudarchive-audit-seal";

    private readonly KeyVaultKeyClient _client;
    private readonly string _keyName;

    /// <summary>Creates the signer for key <paramref name="keyName"/> in the client's vault.</summary>
    public KeyVaultAuditSealSigner(KeyVaultKeyClient client, string keyName = DefaultKeyName)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        ArgumentException.ThrowIfNullOrWhiteSpace(keyName);
        _keyName = keyName;
    }

    /// <inheritdoc />
    public string Algorithm => "ES256";

    /// <inheritdoc />
    public async Task<string> GetKeyIdAsync(CancellationToken cancellationToken)
        => (await _client.GetKeyAsync(_keyName, null, cancellationToken).ConfigureAwait(false)).KeyId;

    /// <inheritdoc />
    public async Task<byte[]> SignAsync(string keyId, ReadOnlyMemory<byte> digest, CancellationToken cancellationToken)
        => (await _client.SignAsync(keyId, Algorithm, digest, cancellationToken).ConfigureAwait(false)).Value;

    /// <inheritdoc />
    public async Task<bool> VerifyAsync(string keyId, string algorithm, ReadOnlyMemory<byte> digest, ReadOnlyMemory<byte> signature, CancellationToken cancellationToken)
    {
        if (algorithm != Algorithm || !KeyVaultKeyIdentifier.TryParse(keyId, out var id) || !string.Equals(id.VaultUri.Host, _client.VaultUri.Host, StringComparison.OrdinalIgnoreCase) || id.Name != _keyName || id.Version is null)
        {
            return false;
        }

        return await _client.VerifyAsync(keyId, algorithm, digest, signature, cancellationToken).ConfigureAwait(false);
    }
}
