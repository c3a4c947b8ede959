namespace CloudArchive.Core.Ingest;

/// <summary>
/// The port between the Functions custom handler (transport: queue message, Event Grid event, HTTP
/// response) and the ingest service (validate, minimize, retain, encrypt, archive, audit, delete the
/// upload). Implementations must be idempotent per upload: the host re-delivers an event after any
/// failure, and the same upload may be announced more than once.
/// </summary>
public interface IIngestHandler
{
    /// <summary>Takes one uploaded blob in.</summary>
    /// <returns>What happened to the upload. Outcomes are successes from the transport's point of view
    /// (the message is done); throw to have the host retry (and, after its limit, poison-queue) the event.
    /// Exception messages must not contain patient data (they are returned to the host's logs).</returns>
    Task<IngestResult> IngestAsync(IngestRequest request, CancellationToken cancellationToken);
}
