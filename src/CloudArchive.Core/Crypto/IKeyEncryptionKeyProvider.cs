using Azure.Core.Cryptography;

namespace CloudArchive.Core.Crypto;

/// <summary>
/// A source of key-encryption keys (KEKs) that wrap study keys: Key Vault / Managed HSM in production, a local RSA
/// key for development. It hands out the current version for wrapping and resolves any of its versions for unwrapping.
/// </summary>
public interface IKeyEncryptionKeyProvider : IKeyEncryptionKeyResolver
{
    /// <summary>The key-wrap algorithm used with this provider's keys (<c>RSA-OAEP-256</c> or <c>A256KW</c>).</summary>
    string WrapAlgorithm { get; }

    /// <summary>True when keys are held outside an HSM (development only); <c>doctor</c> reports it.</summary>
    bool IsInsecure { get; }

    /// <summary>A one-line, secret-free description for diagnostics.</summary>
    string Description { get; }

    /// <summary>Whether <paramref name="keyId"/> names a key of this provider.</summary>
    bool CanResolve(string keyId);

    /// <summary>The current (newest) KEK version, whose versioned id is what gets stored with wrapped keys.</summary>
    ValueTask<IKeyEncryptionKey> GetCurrentKeyAsync(CancellationToken cancellationToken = default);
}
