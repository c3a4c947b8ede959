using System.Security.Cryptography;
using System.Text;

namespace CloudArchive.Core.Keys;

/// <summary>
/// Derives the opaque <c>studyKey</c>/<c>instanceKey</c> names (docs/architecture.md §2): lowercase RFC 4648 base32 of
/// HMAC-SHA256(indexKey, UTF-8 UID), truncated to 26 characters (130 bits). Deterministic, so a re-upload maps to
/// the same blob, and meaningless without the index key. Dispose to zero the key.
/// </summary>
public sealed class OpaqueKeyNamer : IDisposable
{
    /// <summary>Length of every derived name.</summary>
    public const int NameLength = 26;

    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private readonly byte[] _key;
    private bool _disposed;

    /// <summary>Creates a namer from a copy of the 32-byte index key.</summary>
    public OpaqueKeyNamer(ReadOnlySpan<byte> indexKey)
    {
        if (indexKey.Length != 32)
        {
            throw new ArgumentException("The index key is 32 bytes.", nameof(indexKey));
        }

        _key = indexKey.ToArray();
    }

    /// <summary>The opaque name for a DICOM UID (StudyInstanceUID or SOPInstanceUID).</summary>
    public string NameFor(string uid)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentException.ThrowIfNullOrEmpty(uid);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(uid), mac);
        return Base32(mac)[..NameLength];
    }

    /// <summary>Zeroes the key.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            CryptographicOperations.ZeroMemory(_key);
            _disposed = true;
        }
    }

    internal static string Base32(ReadOnlySpan<byte> data)
    {
        var sb = new StringBuilder(((data.Length * 8) + 4) / 5);
        int buffer = 0;
        int bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                sb.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            sb.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        }

        return sb.ToString();
    }
}
