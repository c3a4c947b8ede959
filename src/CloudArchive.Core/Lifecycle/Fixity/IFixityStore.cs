namespace CloudArchive.Core.Lifecycle.Fixity;

/// <summary>
/// The fixity sweep's records in <c>control</c>: the cursor, each bucket's results (the fixity ledger) and the open
/// findings. Names and contents hold opaque keys and codes only. Transient failures surface as exceptions.
/// </summary>
public interface IFixityStore
{
    /// <summary>The cursor and its ETag, or null when no sweep has run.</summary>
    Task<(FixityState State, string ETag)?> GetStateAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores the cursor if it is still the version read (<paramref name="etag"/>; null: only if none exists) and returns its new ETag; returns null
    /// when another run moved it in the meantime.
    /// </summary>
    Task<string?> TrySaveStateAsync(FixityState state, string? etag, CancellationToken cancellationToken);

    /// <summary>Writes (or rewrites) a bucket's results.</summary>
    Task WriteBucketAsync(FixityBucketRecord record, CancellationToken cancellationToken);

    /// <summary>Reads a bucket's results, or null when that bucket was not recorded in that cycle.</summary>
    Task<FixityBucketRecord?> GetBucketAsync(int cycle, int bucket, CancellationToken cancellationToken);

    /// <summary>Records an open finding unless one exists for the blob; returns whether it was created.</summary>
    Task<bool> TryAddFindingAsync(FixityFinding finding, CancellationToken cancellationToken);

    /// <summary>Removes the finding of a blob; returns whether one existed.</summary>
    Task<bool> RemoveFindingAsync(string blobName, CancellationToken cancellationToken);

    /// <summary>The open findings, page by page.</summary>
    IAsyncEnumerable<FixityFinding> ListFindingsAsync(CancellationToken cancellationToken);
}
