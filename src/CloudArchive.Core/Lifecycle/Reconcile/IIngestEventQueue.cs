namespace CloudArchive.Core.Lifecycle.Reconcile;

/// <summary>
/// The ingest queue and its poison queue as reconciliation uses them. Messages are written in the shape the ingest
/// trigger decodes (an Event Grid <c>BlobCreated</c> event). Transient failures surface as exceptions.
/// </summary>
public interface IIngestEventQueue
{
    /// <summary>Puts a <c>BlobCreated</c> event for <paramref name="upload"/> on the ingest queue.</summary>
    Task EnqueueAsync(IncomingBlob upload, DateTimeOffset eventTime, CancellationToken cancellationToken);

    /// <summary>Receives up to <paramref name="maxMessages"/> poison messages, hiding them for <paramref name="visibility"/>.</summary>
    Task<IReadOnlyList<PoisonedIngestMessage>> ReceivePoisonedAsync(int maxMessages, TimeSpan visibility, CancellationToken cancellationToken);

    /// <summary>Deletes a received poison message (a message already gone is not an error).</summary>
    Task DeletePoisonedAsync(PoisonedIngestMessage message, CancellationToken cancellationToken);
}
