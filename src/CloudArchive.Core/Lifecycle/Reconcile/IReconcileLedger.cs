namespace CloudArchive.Core.Lifecycle.Reconcile;

/// <summary>
/// What reconciliation keeps in <c>control</c>: the last failure of each failing ingest message (keyed by a hash of the
/// message), and when each stale upload version was last re-enqueued (keyed by a keyed MAC of its name and ETag). No
/// blob name is stored. Transient failures surface as exceptions.
/// </summary>
public interface IReconcileLedger
{
    /// <summary>Records (replaces) the last failure of a message.</summary>
    Task RecordFailureAsync(string messageKey, IngestFailureNote note, CancellationToken cancellationToken);

    /// <summary>The last failure recorded for a message, or null.</summary>
    Task<IngestFailureNote?> GetFailureAsync(string messageKey, CancellationToken cancellationToken);

    /// <summary>Removes a message's failure record, if any.</summary>
    Task DeleteFailureAsync(string messageKey, CancellationToken cancellationToken);

    /// <summary>When the upload version was last re-enqueued, or null.</summary>
    Task<DateTimeOffset?> GetReenqueuedAsync(string uploadKey, CancellationToken cancellationToken);

    /// <summary>Records that the upload version was re-enqueued at <paramref name="at"/>.</summary>
    Task MarkReenqueuedAsync(string uploadKey, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Every upload key with a re-enqueue mark, page by page.</summary>
    IAsyncEnumerable<string> ListReenqueuedAsync(CancellationToken cancellationToken);

    /// <summary>Removes an upload's re-enqueue mark, if any.</summary>
    Task DeleteReenqueuedAsync(string uploadKey, CancellationToken cancellationToken);
}
