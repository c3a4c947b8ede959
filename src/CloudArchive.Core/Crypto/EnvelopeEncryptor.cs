using System.Security.Cryptography;
using Azure.Core.Cryptography;

namespace CloudArchive.Core.Crypto;

/// <summary>
/// Encrypts blob content in the Azure Storage client-side encryption v2.1 format: a fresh random 256-bit content key
/// per blob, wrapped (with its "2.1" prefix) by a key-encryption key — for archive blobs, the study key with
/// <c>A256KW</c>.
/// </summary>
public sealed class EnvelopeEncryptor
{
    private readonly EnvelopeEncryptionOptions _options;

    /// <summary>Creates an encryptor.</summary>
    public EnvelopeEncryptor(EnvelopeEncryptionOptions? options = null)
    {
        _options = options ?? new EnvelopeEncryptionOptions();
        _options.Validate();
    }

    /// <summary>
    /// Returns a stream of ciphertext produced on demand from <paramref name="plaintext"/>. Store
    /// <see cref="EncryptingStream.GetMetadata"/> (for the blob's name) with the blob.
    /// </summary>
    /// <param name="plaintext">The content to encrypt; read sequentially, once.</param>
    /// <param name="keyEncryptionKey">The key that wraps the content key; its <c>KeyId</c> is recorded.</param>
    /// <param name="keyWrapAlgorithm">The algorithm passed to <see cref="IKeyEncryptionKey.WrapKeyAsync"/>.</param>
    /// <param name="leaveOpen">Whether disposing the returned stream leaves <paramref name="plaintext"/> open.</param>
    /// <param name="plainLength">
    /// The plaintext length when known for a non-seekable source (e.g. an HTTP body with Content-Length); the source
    /// must then deliver exactly that many bytes or reading fails with <see cref="IOException"/>.
    /// </param>
    /// <param name="cancellationToken">Cancels the key wrap.</param>
    public async Task<EncryptingStream> EncryptAsync(Stream plaintext, IKeyEncryptionKey keyEncryptionKey, string keyWrapAlgorithm = AesKeyWrap.A256KW, bool leaveOpen = false, long? plainLength = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        ArgumentNullException.ThrowIfNull(keyEncryptionKey);
        ArgumentException.ThrowIfNullOrEmpty(keyWrapAlgorithm);
        if (plainLength is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(plainLength), "The plaintext length must not be negative.");
        }

        if (!plaintext.CanRead)
        {
            throw new ArgumentException("The plaintext stream must be readable.", nameof(plaintext));
        }

        var cek = RandomNumberGenerator.GetBytes(CseFormat.ContentKeyLength);
        try
        {
            var wrapped = await ContentKeyEnvelope.WrapAsync(keyEncryptionKey, keyWrapAlgorithm, CseFormat.Protocol21, cek, cancellationToken).ConfigureAwait(false);
            var data = new EncryptionData(
                CseFormat.FullBlobMode,
                new WrappedContentKey(keyEncryptionKey.KeyId, wrapped, keyWrapAlgorithm),
                CseFormat.Protocol21,
                CseFormat.AesGcm256,
                _options.RegionLength,
                CseFormat.NonceLength,
                _options.EncryptionLibrary);
            var aes = new AesGcm(cek, CseFormat.TagLength);
            return new EncryptingStream(plaintext, leaveOpen, aes, EnvelopeBinding.DeriveKey(cek), _options.RegionLength, data, plainLength);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(cek);
        }
    }
}
