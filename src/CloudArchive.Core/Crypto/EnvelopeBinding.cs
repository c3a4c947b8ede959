using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CloudArchive.Core.Crypto;

/// <summary>
/// The <c>ca_envelopemac</c> construction (docs/encryption.md, "Envelope binding"): HMAC-SHA256 under
/// HKDF-SHA256(CEK, info <see cref="Label"/>) over the length-prefixed label, blob name, decimal plaintext length and
/// exact <c>encryptiondata</c> string.
/// </summary>
/// <remarks>
/// GCM authenticates each region but nothing outside them: without this MAC a writer to the storage account could cut
/// the last region and lower <c>ca_plainlength</c> to match, swap <c>encryptiondata</c>, or copy a blob under another
/// name, and every check on the body would still pass. The key comes from the content key, so only a holder of the
/// study key can produce it, and it differs per blob; the SDKs ignore the extra metadata, so the format stays theirs.
/// </remarks>
internal static class EnvelopeBinding
{
    /// <summary>Domain and version label: the HKDF info and the first field of the MAC input.</summary>
    internal const string Label = "cloudarchive/v1/envelope-binding";

    /// <summary>Length of the derived MAC key and of the MAC (SHA-256).</summary>
    internal const int KeyLength = 32;

    /// <summary>Derives the MAC key from a 32-byte content key. The caller zeroes the result.</summary>
    internal static byte[] DeriveKey(ReadOnlySpan<byte> contentKey)
    {
        // No salt: RFC 5869 then uses 32 zero bytes, which every HKDF implementation does the same way.
        var key = new byte[KeyLength];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, contentKey, key, ReadOnlySpan<byte>.Empty, Encoding.UTF8.GetBytes(Label));
        return key;
    }

    /// <summary>The base64 MAC binding <paramref name="blobName"/>, <paramref name="plainLength"/> and <paramref name="encryptionData"/> to the content key.</summary>
    internal static string Compute(ReadOnlySpan<byte> macKey, string blobName, long plainLength, string encryptionData) =>
        Convert.ToBase64String(Mac(macKey, blobName, plainLength, encryptionData));

    /// <summary>Whether <paramref name="recorded"/> is the MAC of these values (constant-time; malformed base64 is a mismatch).</summary>
    internal static bool Verify(ReadOnlySpan<byte> macKey, string blobName, long plainLength, string encryptionData, string recorded)
    {
        Span<byte> given = stackalloc byte[KeyLength];
        if (!Convert.TryFromBase64String(recorded, given, out var written) || written != KeyLength)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(given, Mac(macKey, blobName, plainLength, encryptionData));
    }

    private static byte[] Mac(ReadOnlySpan<byte> macKey, string blobName, long plainLength, string encryptionData)
    {
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        ArgumentOutOfRangeException.ThrowIfNegative(plainLength);
        ArgumentNullException.ThrowIfNull(encryptionData);
        using var message = new MemoryStream();
        Span<byte> prefix = stackalloc byte[4];

        // Each field is prefixed with its byte length, so no choice of name or JSON can shift bytes from one field
        // into another and produce the same input.
        foreach (var field in new[] { Label, blobName, plainLength.ToString(CultureInfo.InvariantCulture), encryptionData })
        {
            var bytes = Encoding.UTF8.GetBytes(field);
            BinaryPrimitives.WriteUInt32BigEndian(prefix, (uint)bytes.Length);
            message.Write(prefix);
            message.Write(bytes);
        }

        return HMACSHA256.HashData(macKey, message.GetBuffer().AsSpan(0, (int)message.Length));
    }
}
