using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CloudArchive.Core.Tests.Crypto;

/// <summary>
/// A deliberately separate, minimal implementation of the CSE v2.1 format written from azure-facts §5 and RFC 3394
/// with only BCL primitives, plus CloudArchive's <c>ca_envelopemac</c> written from docs/encryption.md ("Envelope
/// binding"). It shares no code with CloudArchive.Core.Crypto so that agreement between the two is evidence the format
/// (and the documented MAC construction) is right, not that one implementation agrees with itself.
/// </summary>
internal static class IndependentCse21
{
    public static byte[] Decrypt(byte[] blob, IReadOnlyDictionary<string, string> metadata, byte[] studyKey, string blobName = Cse.BlobName)
    {
        using var doc = JsonDocument.Parse(metadata["encryptiondata"]);
        var root = doc.RootElement;
        var protocol = root.GetProperty("EncryptionAgent").GetProperty("Protocol").GetString()!;
        if (root.GetProperty("WrappedContentKey").GetProperty("Algorithm").GetString() != "A256KW")
        {
            throw new InvalidOperationException("unexpected wrap algorithm");
        }

        var wrapped = Convert.FromBase64String(root.GetProperty("WrappedContentKey").GetProperty("EncryptedKey").GetString()!);
        var unwrapped = Unwrap(studyKey, wrapped);
        if (Encoding.UTF8.GetString(unwrapped, 0, 8).TrimEnd('\0') != protocol)
        {
            throw new InvalidOperationException("protocol prefix mismatch");
        }

        var cek = unwrapped[8..];
        var expectedMac = EnvelopeMac(cek, blobName, metadata["ca_plainlength"], metadata["encryptiondata"]);
        if (!CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(metadata["ca_envelopemac"]), expectedMac))
        {
            throw new InvalidOperationException("ca_envelopemac mismatch");
        }

        int dataLength = root.GetProperty("EncryptedRegionInfo").GetProperty("DataLength").GetInt32();
        int nonceLength = root.GetProperty("EncryptedRegionInfo").GetProperty("NonceLength").GetInt32();
        using var gcm = new AesGcm(cek, 16);
        var plain = new MemoryStream();
        int pos = 0;
        long index = 0;
        while (pos < blob.Length)
        {
            int regionCipher = Math.Min(nonceLength + dataLength + 16, blob.Length - pos);
            var nonce = blob.AsSpan(pos, nonceLength);
            var expectedNonce = new byte[12];
            BinaryPrimitives.WriteInt64BigEndian(expectedNonce, index);
            if (!nonce.SequenceEqual(expectedNonce))
            {
                throw new InvalidOperationException("nonce is not 8-byte big-endian index || 4 zero bytes");
            }

            int n = regionCipher - nonceLength - 16;
            var output = new byte[n];
            gcm.Decrypt(nonce, blob.AsSpan(pos + nonceLength, n), blob.AsSpan(pos + nonceLength + n, 16), output);
            plain.Write(output);
            pos += regionCipher;
            index++;
        }

        if (plain.Length != long.Parse(metadata["ca_plainlength"], System.Globalization.CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("length mismatch");
        }

        return plain.ToArray();
    }

    public static (byte[] Blob, Dictionary<string, string> Metadata) Encrypt(byte[] plaintext, byte[] studyKey, string studyKeyId, int dataLength, string protocol = "2.1", string blobName = Cse.BlobName)
    {
        var cek = RandomNumberGenerator.GetBytes(32);
        var toWrap = new byte[40];
        Encoding.UTF8.GetBytes(protocol).CopyTo(toWrap, 0);
        cek.CopyTo(toWrap, 8);
        var wrapped = Wrap(studyKey, toWrap);
        using var gcm = new AesGcm(cek, 16);
        var blob = new MemoryStream();
        long index = 0;
        for (int pos = 0; pos < plaintext.Length; pos += dataLength, index++)
        {
            int n = Math.Min(dataLength, plaintext.Length - pos);
            var nonce = new byte[12];
            BinaryPrimitives.WriteInt64BigEndian(nonce, index);
            var ct = new byte[n];
            var tag = new byte[16];
            gcm.Encrypt(nonce, plaintext.AsSpan(pos, n), ct, tag);
            blob.Write(nonce);
            blob.Write(ct);
            blob.Write(tag);
        }

        var json = "{\"EncryptionMode\":\"FullBlob\",\"WrappedContentKey\":{\"KeyId\":\"" + studyKeyId + "\",\"EncryptedKey\":\""
            + Convert.ToBase64String(wrapped) + "\",\"Algorithm\":\"A256KW\"},\"EncryptionAgent\":{\"Protocol\":\"" + protocol
            + "\",\"EncryptionAlgorithm\":\"AES_GCM_256\"},\"EncryptedRegionInfo\":{\"DataLength\":" + dataLength + ",\"NonceLength\":12}}";
        var length = plaintext.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return (blob.ToArray(), new Dictionary<string, string>
        {
            ["encryptiondata"] = json,
            ["ca_plainlength"] = length,
            ["ca_envelopemac"] = Convert.ToBase64String(EnvelopeMac(cek, blobName, length, json)),
        });
    }

    /// <summary>
    /// docs/encryption.md: key = HKDF-SHA256(IKM = CEK, no salt, info = "cloudarchive/v1/envelope-binding", 32 bytes);
    /// MAC = HMAC-SHA256(key, for each of label, blob name, decimal length, encryptiondata: 4-byte big-endian UTF-8
    /// length, then the UTF-8 bytes).
    /// </summary>
    private static byte[] EnvelopeMac(byte[] cek, string blobName, string plainLength, string encryptionData)
    {
        const string label = "cloudarchive/v1/envelope-binding";
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, cek, 32, salt: null, info: Encoding.UTF8.GetBytes(label));
        var input = new MemoryStream();
        foreach (var field in new[] { label, blobName, plainLength, encryptionData })
        {
            var bytes = Encoding.UTF8.GetBytes(field);
            var prefix = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(prefix, bytes.Length);
            input.Write(prefix);
            input.Write(bytes);
        }

        return HMACSHA256.HashData(key, input.ToArray());
    }

    // RFC 3394 §2.2.1, index-based form.
    private static byte[] Wrap(byte[] kek, byte[] p)
    {
        using var aes = Aes.Create();
        aes.Key = kek;
        int n = p.Length / 8;
        var a = Convert.FromHexString("A6A6A6A6A6A6A6A6");
        var r = new byte[n][];
        for (int i = 0; i < n; i++)
        {
            r[i] = p.AsSpan(i * 8, 8).ToArray();
        }

        for (int j = 0; j < 6; j++)
        {
            for (int i = 0; i < n; i++)
            {
                var b = aes.EncryptEcb([.. a, .. r[i]], PaddingMode.None);
                ulong t = (ulong)((n * j) + i + 1);
                a = b[..8];
                var tb = new byte[8];
                BinaryPrimitives.WriteUInt64BigEndian(tb, t);
                for (int k = 0; k < 8; k++)
                {
                    a[k] ^= tb[k];
                }

                r[i] = b[8..];
            }
        }

        return [.. a, .. r.SelectMany(x => x)];
    }

    // RFC 3394 §2.2.2.
    private static byte[] Unwrap(byte[] kek, byte[] c)
    {
        using var aes = Aes.Create();
        aes.Key = kek;
        int n = (c.Length / 8) - 1;
        var a = c[..8];
        var r = new byte[n][];
        for (int i = 0; i < n; i++)
        {
            r[i] = c.AsSpan((i + 1) * 8, 8).ToArray();
        }

        for (int j = 5; j >= 0; j--)
        {
            for (int i = n - 1; i >= 0; i--)
            {
                ulong t = (ulong)((n * j) + i + 1);
                var tb = new byte[8];
                BinaryPrimitives.WriteUInt64BigEndian(tb, t);
                var ax = a.ToArray();
                for (int k = 0; k < 8; k++)
                {
                    ax[k] ^= tb[k];
                }

                var b = aes.DecryptEcb([.. ax, .. r[i]], PaddingMode.None);
                a = b[..8];
                r[i] = b[8..];
            }
        }

        if (Convert.ToHexString(a) != "A6A6A6A6A6A6A6A6")
        {
            throw new CryptographicException("integrity check failed");
        }

        return r.SelectMany(x => x).ToArray();
    }
}
