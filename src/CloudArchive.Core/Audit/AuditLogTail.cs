namespace CloudArchive.Core.Audit;

/// <summary>
/// What the writer knows about the end of a blob (its length, last line and that line's chain value), and the reads
/// that establish it: loading the tail, and checking after a lost append race that what the writer last saw is
/// still there.
/// </summary>
internal sealed record AuditLogTail(string BlobName, long Length, long LastSequence, string LastHash, byte[]? LastLine)
{
    /// <summary>How much of a blob's end is read to find its last line (four maximal lines).</summary>
    public const int TailWindow = AuditLineSerializer.MaxLineBytes * 4;

    /// <summary>Reads the end of <paramref name="blobName"/>; <paramref name="key"/> decides the chain rule the next line uses.</summary>
    /// <exception cref="AuditLogCorruptException">The blob's last line is damaged.</exception>
    /// <exception cref="AuditStoreException">Storage failed, or the blob is missing and <paramref name="createIfMissing"/> is false.</exception>
    public static async Task<AuditLogTail> LoadAsync(IAuditLogStore store, string blobName, bool createIfMissing, AuditChainKey? key, CancellationToken cancellationToken)
    {
        var length = await store.GetLengthAsync(blobName, cancellationToken).ConfigureAwait(false);
        if (length is null)
        {
            if (!createIfMissing)
            {
                throw new AuditStoreException(blobName, "the blob disappeared while being written", isNotFound: true);
            }

            await store.CreateIfNotExistsAsync(blobName, cancellationToken).ConfigureAwait(false);
            length = await store.GetLengthAsync(blobName, cancellationToken).ConfigureAwait(false)
                ?? throw new AuditStoreException(blobName, "the blob does not exist after being created", isNotFound: true);
        }

        if (length == 0)
        {
            return new AuditLogTail(blobName, 0, 0, key?.Genesis(blobName) ?? AuditChain.GenesisHash(blobName), null);
        }

        var start = Math.Max(0, length.Value - TailWindow);
        var tail = await ReadAsync(store, blobName, start, (int)(length.Value - start), cancellationToken).ConfigureAwait(false);

        // Other appends may have landed after GetLength; only the bytes up to the measured length count,
        // so the state stays consistent with the position used for the next conditional append.
        var usable = tail.Length;
        if (usable <= 0 || tail[usable - 1] != (byte)'\n')
        {
            throw new AuditLogCorruptException(blobName, "the last line is incomplete (no line feed at the end)");
        }

        var end = usable - 1;
        var lineStart = Array.LastIndexOf(tail, (byte)'\n', end - 1 < 0 ? 0 : end - 1, end) + 1;
        if (end == 0 || (lineStart == 0 && start > 0))
        {
            throw new AuditLogCorruptException(blobName, $"the last line is empty or longer than {AuditLineSerializer.MaxLineBytes} bytes");
        }

        var line = tail.AsSpan(lineStart, end - lineStart).ToArray();
        AuditRecord last;
        try
        {
            last = AuditLineSerializer.Parse(line);
        }
        catch (AuditFormatException ex)
        {
            throw new AuditLogCorruptException(blobName, "the last line is not a valid audit record", ex);
        }

        return new AuditLogTail(blobName, length.Value, last.Sequence, key?.Mac(line) ?? AuditChain.Hash(line), line);
    }

    /// <summary>
    /// Checks that the blob still holds at least this tail's bytes and ends them with this tail's last line. Returns
    /// null when it does, else the tampering seen: <c>deleted</c>, <c>truncated</c> (shorter, including recreated
    /// empty) or <c>tail-changed</c> (the line this writer last saw is no longer where it was).
    /// </summary>
    public async Task<string?> FindTamperingAsync(IAuditLogStore store, CancellationToken cancellationToken)
    {
        var length = await store.GetLengthAsync(BlobName, cancellationToken).ConfigureAwait(false);
        if (length is null)
        {
            return "deleted";
        }

        if (length < Length)
        {
            return "truncated";
        }

        if (LastLine is null)
        {
            return null;
        }

        var start = Length - LastLine.Length - 1;
        var seen = await ReadAsync(store, BlobName, start, LastLine.Length + 1, cancellationToken).ConfigureAwait(false);
        return seen.Length == LastLine.Length + 1 && seen.AsSpan(0, LastLine.Length).SequenceEqual(LastLine) && seen[^1] == (byte)'\n'
            ? null
            : "tail-changed";
    }

    private static async Task<byte[]> ReadAsync(IAuditLogStore store, string blobName, long start, int count, CancellationToken cancellationToken)
    {
        var stream = await store.OpenReadAsync(blobName, start, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[count];
            var read = 0;
            int n;
            while (read < count && (n = await stream.ReadAsync(buffer.AsMemory(read, count - read), cancellationToken).ConfigureAwait(false)) > 0)
            {
                read += n;
            }

            return read == count ? buffer : buffer[..read];
        }
    }
}
