using System.Security.Cryptography;
using Azure.Core.Cryptography;

namespace CloudArchive.Core.Crypto;

/// <summary>
/// An in-memory 256-bit AES key exposed as an <see cref="IKeyEncryptionKey"/> that wraps with <c>A256KW</c>
/// (RFC 3394). This is what an unwrapped study key looks like to the CSE format, and what an official Azure
/// Storage SDK key resolver would return. Dispose to zero the key.
/// </summary>
public sealed class SymmetricKeyEncryptionKey : IKeyEncryptionKey, IDisposable
{
    private readonly byte[] _key;
    private bool _disposed;

    /// <summary>Creates the key from a copy of <paramref name="key"/>.</summary>
    /// <param name="keyId">The id recorded in <c>WrappedContentKey.KeyId</c>.</param>
    /// <param name="key">32 key bytes; copied.</param>
    /// <param name="disposeAfterUnwrap">
    /// True when a resolver hands out this instance for one decryption only: <see cref="EnvelopeDecryptor"/> then
    /// zeroes it as soon as the content key is unwrapped.
    /// </param>
    public SymmetricKeyEncryptionKey(string keyId, ReadOnlySpan<byte> key, bool disposeAfterUnwrap = false)
    {
        DisposeAfterUnwrap = disposeAfterUnwrap;
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        if (key.Length != 32)
        {
            throw new ArgumentException("A256KW key-encryption keys are 32 bytes.", nameof(key));
        }

        KeyId = keyId;
        _key = key.ToArray();
    }

    /// <inheritdoc />
    public string KeyId { get; }

    /// <summary>Whether the decryptor disposes this key right after unwrapping a content key with it.</summary>
    public bool DisposeAfterUnwrap { get; }

    /// <inheritdoc />
    public byte[] WrapKey(string algorithm, ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default)
    {
        Check(algorithm);
        return AesKeyWrap.Wrap(_key, key.Span);
    }

    /// <inheritdoc />
    public Task<byte[]> WrapKeyAsync(string algorithm, ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default)
        => Task.FromResult(WrapKey(algorithm, key, cancellationToken));

    /// <inheritdoc />
    public byte[] UnwrapKey(string algorithm, ReadOnlyMemory<byte> encryptedKey, CancellationToken cancellationToken = default)
    {
        Check(algorithm);
        return AesKeyWrap.Unwrap(_key, encryptedKey.Span);
    }

    /// <inheritdoc />
    public Task<byte[]> UnwrapKeyAsync(string algorithm, ReadOnlyMemory<byte> encryptedKey, CancellationToken cancellationToken = default)
        => Task.FromResult(UnwrapKey(algorithm, encryptedKey, cancellationToken));

    /// <summary>Zeroes the key bytes.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            CryptographicOperations.ZeroMemory(_key);
            _disposed = true;
        }
    }

    private void Check(string algorithm)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!string.Equals(algorithm, AesKeyWrap.A256KW, StringComparison.Ordinal))
        {
            throw new NotSupportedException($"Key-wrap algorithm '{algorithm}' is not supported by this key; only A256KW.");
        }
    }
}
