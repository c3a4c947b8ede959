namespace CloudArchive.Core.Audit.Seals;

/// <summary>
/// The Merkle digest of one hour of the log as it is now: per blob (name order) its lines, bytes and own root, and the
/// root over all lines in canonical order (blob name, then line number). Streams every blob once; memory is one line
/// and one hash stack per level, whatever the hour's size.
/// </summary>
/// <param name="Blobs">The blobs digested, each over the lines counted (all, or the sealed prefix).</param>
/// <param name="Current">Every valid log blob of the hour as it is now: name → (lines, bytes).</param>
/// <param name="Lines">Lines counted in <see cref="Root"/>.</param>
/// <param name="Root">The Merkle root over the counted lines.</param>
public sealed record AuditHourDigest(IReadOnlyList<AuditSealBlob> Blobs, IReadOnlyDictionary<string, (long Lines, long Bytes)> Current, long Lines, string Root)
{
    /// <summary>
    /// Digests the hour. With <paramref name="sealedLines"/>, only the blobs it names count, each over at most its
    /// number of lines (what a seal covered); without, every blob and every line.
    /// </summary>
    /// <exception cref="AuditStoreException">Storage failed.</exception>
    public static async Task<AuditHourDigest> ComputeAsync(IAuditLogStore store, DateTimeOffset hour, IReadOnlyDictionary<string, long>? sealedLines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var names = new List<string>();
        await foreach (var blob in store.ListAsync(AuditSealName.LogPrefix(hour), cancellationToken).ConfigureAwait(false))
        {
            if (AuditBlobName.TryParse(blob.Name, out var blobHour, out _) && blobHour == hour)
            {
                names.Add(blob.Name);
            }
        }

        names.Sort(StringComparer.Ordinal);
        var all = new MerkleTreeBuilder();
        var blobs = new List<AuditSealBlob>();
        var current = new Dictionary<string, (long Lines, long Bytes)>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            long limit = long.MaxValue;
            if (sealedLines is not null && !sealedLines.TryGetValue(name, out limit))
            {
                limit = 0;
            }

            var own = new MerkleTreeBuilder();
            long lines = 0, bytes = 0, counted = 0, countedBytes = 0;
            var stream = await store.OpenReadAsync(name, 0, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                await foreach (var line in AuditLineReader.ReadAsync(stream, cancellationToken).ConfigureAwait(false))
                {
                    lines++;
                    bytes += line.StreamLength;
                    if (counted < limit)
                    {
                        counted++;
                        countedBytes += line.StreamLength;
                        own.AddLeafHash(line.LeafHash);
                        all.AddLeafHash(line.LeafHash);
                    }
                }
            }

            current[name] = (lines, bytes);
            if (sealedLines is null || sealedLines.ContainsKey(name))
            {
                blobs.Add(new AuditSealBlob(name, counted, countedBytes, own.Root()));
            }
        }

        return new AuditHourDigest(blobs, current, all.Count, all.Root());
    }
}
