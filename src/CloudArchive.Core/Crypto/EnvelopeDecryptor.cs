using System.Globalization;
using System.Security.Cryptography;
using Azure.Core.Cryptography;

namespace CloudArchive.Core.Crypto;

/// <summary>
/// Reads blobs in the Azure Storage client-side encryption v2.0/v2.1 format, whole or by plaintext range, resolving
/// the key-encryption key by the id recorded in <c>encryptiondata</c> and checking <c>ca_envelopemac</c> against the
/// blob's name before any plaintext is released. Every failure is an <see cref="EnvelopeDecryptionException"/> with a
/// <see cref="EnvelopeFailureReason"/>.
/// </summary>
public sealed class EnvelopeDecryptor
{
    private readonly IKeyEncryptionKeyResolver _resolver;
    private readonly EnvelopeDecryptionOptions _options;

    /// <summary>Creates a decryptor.</summary>
    /// <param name="resolver">Resolves <c>WrappedContentKey.KeyId</c> to the key that unwraps the content key.</param>
    /// <param name="options">Read options.</param>
    public EnvelopeDecryptor(IKeyEncryptionKeyResolver resolver, EnvelopeDecryptionOptions? options = null)
    {
        _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        _options = options ?? new EnvelopeDecryptionOptions();
    }

    /// <summary>
    /// Parses the blob metadata this decryptor needs (case-insensitive names) and checks that the required entries are
    /// present; <c>ca_envelopemac</c> itself can only be verified once the content key is unwrapped.
    /// </summary>
    /// <returns>The encryption data and the recorded plaintext length (null when absent and not required).</returns>
    public (EncryptionData Data, long? PlainLength) ReadMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var json = Find(metadata, CseFormat.EncryptionDataMetadataName)
            ?? throw new EnvelopeDecryptionException(EnvelopeFailureReason.MissingMetadata, "The blob has no encryptiondata metadata; it is not client-side encrypted or its metadata was stripped.");
        var data = EncryptionDataSerializer.Parse(json);
        long? plainLength = null;
        var text = Find(metadata, CseFormat.PlainLengthMetadataName);
        if (text is null)
        {
            if (_options.RequirePlainLength)
            {
                throw new EnvelopeDecryptionException(EnvelopeFailureReason.MissingMetadata, "The blob has no ca_plainlength metadata, so truncation could not be detected.", keyId: data.WrappedContentKey.KeyId);
            }
        }
        else if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            throw new EnvelopeDecryptionException(EnvelopeFailureReason.MissingMetadata, "ca_plainlength is not a non-negative decimal integer.", keyId: data.WrappedContentKey.KeyId);
        }
        else
        {
            plainLength = parsed;
        }

        var mac = Find(metadata, CseFormat.EnvelopeMacMetadataName);
        if (mac is null && _options.RequireEnvelopeMac)
        {
            throw new EnvelopeDecryptionException(EnvelopeFailureReason.MissingMetadata, "The blob has no ca_envelopemac metadata, so its length, encryption data and name are not authenticated.", keyId: data.WrappedContentKey.KeyId);
        }

        if (mac is not null && plainLength is null)
        {
            throw new EnvelopeDecryptionException(EnvelopeFailureReason.MissingMetadata, "The blob has ca_envelopemac but no ca_plainlength, so the MAC cannot be checked.", keyId: data.WrappedContentKey.KeyId);
        }

        return (data, plainLength);
    }

    /// <summary>
    /// Opens a stream that decrypts a whole blob read sequentially from <paramref name="ciphertext"/>. The metadata's
    /// <c>ca_envelopemac</c> is checked against <paramref name="blobName"/> before the stream is returned.
    /// </summary>
    /// <param name="ciphertext">The blob body.</param>
    /// <param name="metadata">The blob metadata.</param>
    /// <param name="blobName">The name the blob was read from, within its container; it must be the name it was written under.</param>
    /// <param name="ciphertextLength">The blob's length (Content-Length), if known; checked against <c>ca_plainlength</c> before any byte is read.</param>
    /// <param name="leaveOpen">Whether disposing the result leaves <paramref name="ciphertext"/> open.</param>
    /// <param name="cancellationToken">Cancels key resolution and unwrap.</param>
    public async Task<DecryptingStream> OpenReadAsync(Stream ciphertext, IReadOnlyDictionary<string, string> metadata, string blobName, long? ciphertextLength = null, bool leaveOpen = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        var (data, recorded) = ReadMetadata(metadata);
        var plainLength = ReconcileLengths(data, recorded, ciphertextLength);
        var aes = await CreateCipherAsync(data, metadata, blobName, recorded, cancellationToken).ConfigureAwait(false);
        return new DecryptingStream(ciphertext, leaveOpen, aes, data.RegionLength, plainLength, 0, null, 0, plainLength ?? -1, NonceLayouts, data.WrappedContentKey.KeyId);
    }

    /// <summary>
    /// Opens a stream over plaintext bytes [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="length"/>)
    /// that fetches and decrypts only the regions covering the range, through one call to <paramref name="source"/>.
    /// </summary>
    /// <remarks>The metadata's <c>ca_envelopemac</c> is checked against <paramref name="blobName"/> before the range is fetched.</remarks>
    /// <param name="source">Opens a stream over a ciphertext byte range.</param>
    /// <param name="ciphertextLength">The blob's total length.</param>
    /// <param name="metadata">The blob metadata.</param>
    /// <param name="blobName">The name the blob is read from, within its container; it must be the name it was written under.</param>
    /// <param name="offset">First plaintext byte.</param>
    /// <param name="length">Number of plaintext bytes; null means to the end. Clipped to the plaintext length.</param>
    /// <param name="cancellationToken">Cancels resolution, unwrap and the range request.</param>
    public async Task<DecryptingStream> OpenRangeAsync(CiphertextRangeSource source, long ciphertextLength, IReadOnlyDictionary<string, string> metadata, string blobName, long offset, long? length = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (length is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), "Length must not be negative.");
        }

        var (data, recorded) = ReadMetadata(metadata);
        long plainLength = ReconcileLengths(data, recorded, ciphertextLength)!.Value;
        if (offset > plainLength)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), "The range starts beyond the end of the plaintext.");
        }

        long count = Math.Min(length ?? long.MaxValue, plainLength - offset);
        int regionLength = data.RegionLength;
        long regionCipher = (long)regionLength + CseFormat.RegionOverhead;
        long first = offset / regionLength;
        long end = count == 0 ? first : ((offset + count - 1) / regionLength) + 1;
        long cipherStart = first * regionCipher;
        long cipherEnd = Math.Min(end * regionCipher, ciphertextLength);
        var aes = await CreateCipherAsync(data, metadata, blobName, recorded, cancellationToken).ConfigureAwait(false);
        try
        {
            var stream = count == 0 ? Stream.Null : await source(cipherStart, cipherEnd - cipherStart, cancellationToken).ConfigureAwait(false);
            return new DecryptingStream(stream, false, aes, regionLength, plainLength, first, end, (int)(offset - (first * regionLength)), count, NonceLayouts, data.WrappedContentKey.KeyId);
        }
        catch
        {
            aes.Dispose();
            throw;
        }
    }

    private int NonceLayouts => _options.AcceptForeignNonceLayouts ? RegionNonce.AllPatterns : RegionNonce.LeadingBigEndian8;

    private static long? ReconcileLengths(EncryptionData data, long? plainLength, long? ciphertextLength)
    {
        if (ciphertextLength is not { } c)
        {
            return plainLength;
        }

        if (plainLength is { } p)
        {
            long expected = CseFormat.CiphertextLength(p, data.RegionLength);
            if (c < expected)
            {
                throw new EnvelopeDecryptionException(EnvelopeFailureReason.Truncated, $"The blob holds {c} bytes but ca_plainlength requires {expected}.", keyId: data.WrappedContentKey.KeyId);
            }

            if (c > expected)
            {
                throw new EnvelopeDecryptionException(EnvelopeFailureReason.TrailingData, $"The blob holds {c} bytes but ca_plainlength allows only {expected}.", keyId: data.WrappedContentKey.KeyId);
            }

            return p;
        }

        return CseFormat.PlainLengthFromCiphertext(c, data.RegionLength)
            ?? throw new EnvelopeDecryptionException(EnvelopeFailureReason.Truncated, "The blob length is not a valid CSE v2 ciphertext length (last region shorter than nonce + tag).", keyId: data.WrappedContentKey.KeyId);
    }

    /// <summary>
    /// Unwraps the content key and, before any ciphertext is opened with it, checks <c>ca_envelopemac</c> (present
    /// whenever <see cref="ReadMetadata"/> let the read proceed with a required MAC) under the key derived from it.
    /// </summary>
    private async Task<AesGcm> CreateCipherAsync(EncryptionData data, IReadOnlyDictionary<string, string> metadata, string blobName, long? recordedPlainLength, CancellationToken cancellationToken)
    {
        var cek = await ContentKeyEnvelope.UnwrapAsync(_resolver, data, cancellationToken).ConfigureAwait(false);
        try
        {
            if (Find(metadata, CseFormat.EnvelopeMacMetadataName) is { } mac)
            {
                var macKey = EnvelopeBinding.DeriveKey(cek);
                try
                {
                    // ReadMetadata refuses a MAC without ca_plainlength, so the recorded length is known here.
                    if (!EnvelopeBinding.Verify(macKey, blobName, recordedPlainLength!.Value, Find(metadata, CseFormat.EncryptionDataMetadataName)!, mac))
                    {
                        throw new EnvelopeDecryptionException(EnvelopeFailureReason.MetadataTampered, "ca_envelopemac does not match the blob's name, ca_plainlength and encryptiondata: the metadata was altered or the blob was copied under another name.", keyId: data.WrappedContentKey.KeyId);
                    }
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(macKey);
                }
            }

            return new AesGcm(cek, CseFormat.TagLength);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(cek);
        }
    }

    private static string? Find(IReadOnlyDictionary<string, string> metadata, string name)
    {
        if (metadata.TryGetValue(name, out var exact))
        {
            return exact;
        }

        foreach (var (k, v) in metadata)
        {
            if (string.Equals(k, name, StringComparison.OrdinalIgnoreCase))
            {
                return v;
            }
        }

        return null;
    }
}
