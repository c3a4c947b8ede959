namespace CloudArchive.Core.Ingest;

/// <summary>
/// One upload to take in, as announced by a <c>Microsoft.Storage.BlobCreated</c> event. The blob name is
/// chosen by the uploader and may contain patient data: it must not be logged or audited.
/// </summary>
public sealed record IngestRequest
{
    /// <summary>The container the upload is in (the configured incoming container).</summary>
    public required string Container { get; init; }

    /// <summary>The blob name inside the container (unescaped).</summary>
    public required string BlobName { get; init; }

    /// <summary>The event id (unique per event, stable across re-deliveries).</summary>
    public required string EventId { get; init; }

    /// <summary>When the blob was created, per the event.</summary>
    public DateTimeOffset? EventTime { get; init; }

    /// <summary>The blob's ETag at creation, if the event carried it (lets the service detect a later overwrite).</summary>
    public string? ETag { get; init; }

    /// <summary>The blob's length at creation, if the event carried it.</summary>
    public long? ContentLength { get; init; }

    /// <summary>The storage API that created the blob (PutBlob, PutBlockList, CopyBlob, ...), if given.</summary>
    public string? Api { get; init; }

    /// <summary>Event Grid's ordering key for events on the same blob, if given.</summary>
    public string? Sequencer { get; init; }

    /// <summary>How many times this message has been delivered (1 on the first try).</summary>
    public int DeliveryCount { get; init; } = 1;

    /// <summary>Correlation id for logs and the audit line (the Functions invocation id).</summary>
    public required string CorrelationId { get; init; }
}
