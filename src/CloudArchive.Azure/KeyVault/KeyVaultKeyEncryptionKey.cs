using Azure.Core.Cryptography;

namespace CloudArchive.Azure.KeyVault;

/// <summary>
/// One version of a Key Vault / Managed HSM key as an <see cref="IKeyEncryptionKey"/>: wrap and unwrap happen inside
/// the vault. <see cref="KeyId"/> is the versioned kid, which is what gets stored beside wrapped keys.
/// </summary>
public sealed class KeyVaultKeyEncryptionKey : IKeyEncryptionKey
{
    private readonly KeyVaultKeyClient _client;

    /// <summary>Creates the key for a versioned kid.</summary>
    public KeyVaultKeyEncryptionKey(KeyVaultKeyClient client, string versionedKeyId)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        var id = KeyVaultKeyIdentifier.Parse(versionedKeyId);
        if (id.Version is null)
        {
            throw new ArgumentException("A key-encryption key must be pinned to a version so that the stored kid stays valid after rotation.", nameof(versionedKeyId));
        }

        KeyId = id.ToString();
    }

    /// <inheritdoc />
    public string KeyId { get; }

    /// <inheritdoc />
    public byte[] WrapKey(string algorithm, ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default)
        => WrapKeyAsync(algorithm, key, cancellationToken).GetAwaiter().GetResult();

    /// <inheritdoc />
    public async Task<byte[]> WrapKeyAsync(string algorithm, ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default)
    {
        var (kid, value) = await _client.WrapKeyAsync(KeyId, algorithm, key, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(kid, KeyId, StringComparison.OrdinalIgnoreCase))
        {
            // Storing our kid while another version wrapped would make the entry unreadable later.
            throw new KeyVaultException("wrapkey", 200, "KidMismatch", "Key Vault reported a different key version than the one requested.", null);
        }

        return value;
    }

    /// <inheritdoc />
    public byte[] UnwrapKey(string algorithm, ReadOnlyMemory<byte> encryptedKey, CancellationToken cancellationToken = default)
        => UnwrapKeyAsync(algorithm, encryptedKey, cancellationToken).GetAwaiter().GetResult();

    /// <inheritdoc />
    public async Task<byte[]> UnwrapKeyAsync(string algorithm, ReadOnlyMemory<byte> encryptedKey, CancellationToken cancellationToken = default)
        => (await _client.UnwrapKeyAsync(KeyId, algorithm, encryptedKey, cancellationToken).ConfigureAwait(false)).Value;
}
