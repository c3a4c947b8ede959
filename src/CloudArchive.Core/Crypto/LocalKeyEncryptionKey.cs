using System.Security.Cryptography;
using Azure.Core.Cryptography;

namespace CloudArchive.Core.Crypto;

/// <summary>
/// One version of the local development KEK: an RSA-3072 private key held in a file. It wraps with
/// <c>RSA-OAEP-256</c> and signs with <c>PS256</c>, like a Key Vault RSA key, but its private key sits on disk —
/// INSECURE, for development only.
/// </summary>
public sealed class LocalKeyEncryptionKey : IKeyEncryptionKey, IDisposable
{
    /// <summary>The only wrap algorithm this key supports.</summary>
    public const string RsaOaep256 = "RSA-OAEP-256";

    private readonly RSA _rsa;

    internal LocalKeyEncryptionKey(string keyId, int version, RSA rsa)
    {
        KeyId = keyId;
        Version = version;
        _rsa = rsa;
    }

    /// <inheritdoc />
    public string KeyId { get; }

    /// <summary>The version number (1, 2, …); a rotation adds one.</summary>
    public int Version { get; }

    /// <summary>Always true: the private key is a file, not an HSM key.</summary>
    public bool IsInsecure => true;

    /// <summary>The public key as SubjectPublicKeyInfo DER, for verifiers.</summary>
    public byte[] ExportPublicKey() => _rsa.ExportSubjectPublicKeyInfo();

    /// <inheritdoc />
    public byte[] WrapKey(string algorithm, ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default)
    {
        Check(algorithm);
        return _rsa.Encrypt(key.Span, RSAEncryptionPadding.OaepSHA256);
    }

    /// <inheritdoc />
    public Task<byte[]> WrapKeyAsync(string algorithm, ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default)
        => Task.FromResult(WrapKey(algorithm, key, cancellationToken));

    /// <inheritdoc />
    public byte[] UnwrapKey(string algorithm, ReadOnlyMemory<byte> encryptedKey, CancellationToken cancellationToken = default)
    {
        Check(algorithm);
        return _rsa.Decrypt(encryptedKey.Span, RSAEncryptionPadding.OaepSHA256);
    }

    /// <inheritdoc />
    public Task<byte[]> UnwrapKeyAsync(string algorithm, ReadOnlyMemory<byte> encryptedKey, CancellationToken cancellationToken = default)
        => Task.FromResult(UnwrapKey(algorithm, encryptedKey, cancellationToken));

    /// <summary>Signs a SHA-256 digest with RSASSA-PSS (JOSE <c>PS256</c>), e.g. an audit seal's Merkle root.</summary>
    public byte[] SignDigest(ReadOnlySpan<byte> sha256Digest)
    {
        if (sha256Digest.Length != 32)
        {
            throw new ArgumentException("PS256 signs a 32-byte SHA-256 digest.", nameof(sha256Digest));
        }

        return _rsa.SignHash(sha256Digest.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
    }

    /// <summary>Verifies a <c>PS256</c> signature over a SHA-256 digest.</summary>
    public bool VerifyDigest(ReadOnlySpan<byte> sha256Digest, ReadOnlySpan<byte> signature)
        => _rsa.VerifyHash(sha256Digest, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);

    /// <summary>Releases the RSA key.</summary>
    public void Dispose() => _rsa.Dispose();

    private static void Check(string algorithm)
    {
        if (!string.Equals(algorithm, RsaOaep256, StringComparison.Ordinal))
        {
            throw new NotSupportedException($"Key-wrap algorithm '{algorithm}' is not supported by the local key; only RSA-OAEP-256.");
        }
    }
}
