using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CloudArchive.Core.Crypto;

/// <summary>
/// AES Key Wrap (RFC 3394, JOSE <c>A128KW</c>/<c>A192KW</c>/<c>A256KW</c>) with the default initial value
/// A6A6A6A6A6A6A6A6. Used to wrap per-blob content keys under a study key.
/// </summary>
public static class AesKeyWrap
{
    /// <summary>The JOSE algorithm name for AES Key Wrap with a 256-bit key-encryption key.</summary>
    public const string A256KW = "A256KW";

    private const ulong DefaultIv = 0xA6A6A6A6A6A6A6A6UL;

    /// <summary>Wraps <paramref name="keyData"/> (a multiple of 8 bytes, at least 16) under <paramref name="kek"/> (16, 24 or 32 bytes).</summary>
    /// <returns>The wrapped key, 8 bytes longer than the input.</returns>
    public static byte[] Wrap(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> keyData)
    {
        ValidateKek(kek);
        if (keyData.Length < 16 || keyData.Length % 8 != 0)
        {
            throw new ArgumentException("Key data to wrap must be a multiple of 8 bytes and at least 16 bytes.", nameof(keyData));
        }

        int n = keyData.Length / 8;
        var output = new byte[keyData.Length + 8];
        keyData.CopyTo(output.AsSpan(8));
        var block = new byte[16];
        try
        {
            using var aes = CreateAes(kek);
            using var encryptor = aes.CreateEncryptor();
            ulong a = DefaultIv;
            for (int j = 0; j <= 5; j++)
            {
                for (int i = 1; i <= n; i++)
                {
                    BinaryPrimitives.WriteUInt64BigEndian(block, a);
                    output.AsSpan(i * 8, 8).CopyTo(block.AsSpan(8));
                    encryptor.TransformBlock(block, 0, 16, block, 0);
                    a = BinaryPrimitives.ReadUInt64BigEndian(block) ^ (ulong)((n * j) + i);
                    block.AsSpan(8).CopyTo(output.AsSpan(i * 8, 8));
                }
            }

            BinaryPrimitives.WriteUInt64BigEndian(output, a);
            return output;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(block);
        }
    }

    /// <summary>Unwraps a wrapped key and verifies the RFC 3394 integrity check value.</summary>
    /// <exception cref="KeyUnwrapException">The integrity check failed (tampered data or wrong key).</exception>
    public static byte[] Unwrap(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> wrapped)
    {
        ValidateKek(kek);
        if (wrapped.Length < 24 || wrapped.Length % 8 != 0)
        {
            throw new KeyUnwrapException("Wrapped key has an invalid length for RFC 3394 (must be a multiple of 8 bytes and at least 24).");
        }

        int n = (wrapped.Length / 8) - 1;
        var r = new byte[n * 8];
        wrapped[8..].CopyTo(r);
        ulong a = BinaryPrimitives.ReadUInt64BigEndian(wrapped);
        var block = new byte[16];
        try
        {
            using var aes = CreateAes(kek);
            using var decryptor = aes.CreateDecryptor();
            for (int j = 5; j >= 0; j--)
            {
                for (int i = n; i >= 1; i--)
                {
                    BinaryPrimitives.WriteUInt64BigEndian(block, a ^ (ulong)((n * j) + i));
                    r.AsSpan((i - 1) * 8, 8).CopyTo(block.AsSpan(8));
                    decryptor.TransformBlock(block, 0, 16, block, 0);
                    a = BinaryPrimitives.ReadUInt64BigEndian(block);
                    block.AsSpan(8).CopyTo(r.AsSpan((i - 1) * 8, 8));
                }
            }

            Span<byte> check = stackalloc byte[8];
            Span<byte> expected = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(check, a);
            BinaryPrimitives.WriteUInt64BigEndian(expected, DefaultIv);
            if (!CryptographicOperations.FixedTimeEquals(check, expected))
            {
                CryptographicOperations.ZeroMemory(r);
                throw new KeyUnwrapException("AES key unwrap integrity check failed: the wrapped key was altered or the key-encryption key is wrong.");
            }

            return r;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(block);
        }
    }

    private static Aes CreateAes(ReadOnlySpan<byte> kek)
    {
        var copy = kek.ToArray();
        try
        {
            // One ECB transform for all 6n block operations: creating a cipher context per block costs far more than the AES.
            var aes = Aes.Create();
            aes.Mode = CipherMode.ECB;
            aes.Padding = PaddingMode.None;
            aes.Key = copy;
            return aes;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(copy);
        }
    }

    private static void ValidateKek(ReadOnlySpan<byte> kek)
    {
        if (kek.Length is not (16 or 24 or 32))
        {
            throw new ArgumentException("AES key-encryption key must be 16, 24 or 32 bytes.", nameof(kek));
        }
    }
}
