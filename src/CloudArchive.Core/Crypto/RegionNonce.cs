using System.Buffers.Binary;

namespace CloudArchive.Core.Crypto;

/// <summary>
/// The per-region GCM nonce rules. We write the Java SDK layout (8-byte big-endian region index ‖ 4 zero bytes);
/// on read we also accept the two other layouts official SDKs write, but one blob must use one layout throughout.
/// </summary>
internal static class RegionNonce
{
    /// <summary>8-byte big-endian index from 0, then 4 zero bytes (ours, Java).</summary>
    internal const int LeadingBigEndian8 = 1;

    /// <summary>12-byte big-endian integer equal to the index from 0 (Python).</summary>
    internal const int BigEndian12 = 2;

    /// <summary>4 zero bytes, then 8-byte little-endian index from 1 (.NET).</summary>
    internal const int TrailingLittleEndianFromOne = 4;

    internal const int AllPatterns = LeadingBigEndian8 | BigEndian12 | TrailingLittleEndianFromOne;

    internal static void Write(Span<byte> nonce, long regionIndex)
    {
        BinaryPrimitives.WriteInt64BigEndian(nonce, regionIndex);
        nonce.Slice(8, 4).Clear();
    }

    /// <summary>Returns the set of layouts (bit mask) under which <paramref name="nonce"/> is the nonce of <paramref name="regionIndex"/>.</summary>
    internal static int Match(ReadOnlySpan<byte> nonce, long regionIndex)
    {
        int mask = 0;
        if (BinaryPrimitives.ReadInt64BigEndian(nonce) == regionIndex && BinaryPrimitives.ReadInt32BigEndian(nonce[8..]) == 0)
        {
            mask |= LeadingBigEndian8;
        }

        if (BinaryPrimitives.ReadInt32BigEndian(nonce) == 0)
        {
            if (BinaryPrimitives.ReadInt64BigEndian(nonce[4..]) == regionIndex)
            {
                mask |= BigEndian12;
            }

            if (BinaryPrimitives.ReadInt64LittleEndian(nonce[4..]) == regionIndex + 1)
            {
                mask |= TrailingLittleEndianFromOne;
            }
        }

        return mask;
    }
}
