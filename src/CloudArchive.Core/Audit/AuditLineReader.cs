using System.Runtime.CompilerServices;

namespace CloudArchive.Core.Audit;

/// <summary>
/// Splits a log blob stream into lines without holding the blob in memory. Lines longer than
/// <see cref="AuditLineSerializer.MaxLineBytes"/> are reported as over-long (their bytes still feed the
/// chain hash, so the following line's <c>prevHash</c> can be checked).
/// </summary>
internal static class AuditLineReader
{
    private static readonly byte[] LeafPrefix = [0x00];

    /// <summary>One line: its bytes (without the line feed; truncated to the limit when over-long), its
    /// chain hash over all its bytes, whether it was terminated and within the limit, and how many bytes of the
    /// stream it took (line feed included); <see cref="Mac"/> is its keyed chain value when a key was given.</summary>
    public sealed record Line(int Number, byte[] Bytes, string Hash, bool Terminated, bool TooLong, long StreamLength)
    {
        public string? Mac { get; init; }

        /// <summary>The RFC 6962 leaf hash of the line's full bytes, SHA-256(0x00 ‖ line), for the seals' Merkle tree.</summary>
        public required byte[] LeafHash { get; init; }
    }

    public static async IAsyncEnumerable<Line> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken, AuditChainKey? key = null)
    {
        using var mac = key?.CreateIncremental();
        using var leaf = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        leaf.AppendData(LeafPrefix);
        var buffer = new byte[64 * 1024];
        var current = new MemoryStream();
        using var hasher = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        long currentLength = 0;
        var number = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            var offset = 0;
            while (offset < read)
            {
                var newline = Array.IndexOf(buffer, (byte)'\n', offset, read - offset);
                var end = newline < 0 ? read : newline;
                var segment = buffer.AsSpan(offset, end - offset);
                hasher.AppendData(segment);
                mac?.AppendData(segment);
                leaf.AppendData(segment);
                var room = AuditLineSerializer.MaxLineBytes - (int)Math.Min(currentLength, AuditLineSerializer.MaxLineBytes);
                current.Write(segment[..Math.Min(room, segment.Length)]);
                currentLength += segment.Length;
                if (newline < 0)
                {
                    break;
                }

                number++;
                yield return new Line(number, current.ToArray(), Convert.ToHexStringLower(hasher.GetHashAndReset()), true,
                    currentLength > AuditLineSerializer.MaxLineBytes, currentLength + 1) { Mac = mac is null ? null : Convert.ToHexStringLower(mac.GetHashAndReset()), LeafHash = leaf.GetHashAndReset() };
                leaf.AppendData(LeafPrefix);
                current.SetLength(0);
                currentLength = 0;
                offset = newline + 1;
            }
        }

        if (currentLength > 0)
        {
            number++;
            yield return new Line(number, current.ToArray(), Convert.ToHexStringLower(hasher.GetHashAndReset()), false,
                currentLength > AuditLineSerializer.MaxLineBytes, currentLength) { Mac = mac is null ? null : Convert.ToHexStringLower(mac.GetHashAndReset()), LeafHash = leaf.GetHashAndReset() };
        }
    }
}
