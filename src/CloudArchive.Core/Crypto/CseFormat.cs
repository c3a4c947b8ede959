namespace CloudArchive.Core.Crypto;

/// <summary>
/// Constants of the Azure Storage client-side encryption v2.x blob format (azure-facts §5) and the
/// metadata names CloudArchive stores beside it.
/// </summary>
public static class CseFormat
{
    /// <summary>Metadata name holding the <c>encryptiondata</c> JSON read by every Azure Storage SDK.</summary>
    public const string EncryptionDataMetadataName = "encryptiondata";

    /// <summary>CloudArchive metadata holding the plaintext length in decimal, checked on read to detect truncation.</summary>
    public const string PlainLengthMetadataName = "ca_plainlength";

    /// <summary>
    /// CloudArchive metadata binding the blob name, <c>ca_plainlength</c> and <c>encryptiondata</c> to the content key:
    /// base64 HMAC-SHA256, checked on every read before any plaintext is released (docs/encryption.md).
    /// </summary>
    public const string EnvelopeMacMetadataName = "ca_envelopemac";

    /// <summary>The protocol we write: v2 layout with an explicit (configurable) region size.</summary>
    public const string Protocol21 = "2.1";

    /// <summary>The v2.0 protocol (fixed 4 MiB regions), accepted on read.</summary>
    public const string Protocol20 = "2.0";

    /// <summary><c>EncryptionMode</c> value for whole-blob encryption.</summary>
    public const string FullBlobMode = "FullBlob";

    /// <summary><c>EncryptionAlgorithm</c> value for AES-256-GCM content encryption.</summary>
    public const string AesGcm256 = "AES_GCM_256";

    /// <summary>GCM nonce length stored in front of each region.</summary>
    public const int NonceLength = 12;

    /// <summary>GCM tag length stored after each region.</summary>
    public const int TagLength = 16;

    /// <summary>Per-region overhead: nonce plus tag.</summary>
    public const int RegionOverhead = NonceLength + TagLength;

    /// <summary>Default plaintext bytes per region (4 MiB), the v2.0 size every SDK reads.</summary>
    public const int DefaultRegionLength = 4 * 1024 * 1024;

    /// <summary>Smallest region accepted (the Java SDK's lower bound).</summary>
    public const int MinRegionLength = 16;

    /// <summary>Largest region accepted (the Java SDK's upper bound, 1 GiB).</summary>
    public const int MaxRegionLength = 1024 * 1024 * 1024;

    /// <summary>Length of the protocol prefix placed before the CEK inside the wrapped key.</summary>
    public const int WrappedVersionLength = 8;

    /// <summary>Content key length (AES-256).</summary>
    public const int ContentKeyLength = 32;

    /// <summary>Ciphertext length for a plaintext of <paramref name="plainLength"/> bytes.</summary>
    public static long CiphertextLength(long plainLength, int regionLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(plainLength);
        long regions = (plainLength + regionLength - 1) / regionLength;
        return plainLength + (regions * RegionOverhead);
    }

    /// <summary>Plaintext length implied by a ciphertext length, or <c>null</c> if no plaintext length yields it.</summary>
    public static long? PlainLengthFromCiphertext(long cipherLength, int regionLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cipherLength);
        long regionCipher = (long)regionLength + RegionOverhead;
        long full = cipherLength / regionCipher;
        long rest = cipherLength % regionCipher;
        if (rest == 0)
        {
            return full * regionLength;
        }

        return rest > RegionOverhead ? (full * regionLength) + rest - RegionOverhead : null;
    }
}
