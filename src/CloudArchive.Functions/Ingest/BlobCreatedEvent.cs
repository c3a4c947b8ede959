namespace CloudArchive.Functions.Ingest;

/// <summary>
/// A <c>Microsoft.Storage.BlobCreated</c> event (Event Grid schema or CloudEvents 1.0), reduced to what
/// ingest needs. <see cref="BlobName"/> is the uploader's name and may contain patient data: never log it.
/// </summary>
public sealed record BlobCreatedEvent
{
    /// <summary>The event type this function handles.</summary>
    public const string EventTypeName = "Microsoft.Storage.BlobCreated";

    /// <summary>The event id.</summary>
    public required string Id { get; init; }

    /// <summary>The container (from the subject and/or the URL, which must agree).</summary>
    public required string Container { get; init; }

    /// <summary>The blob name, unescaped.</summary>
    public required string BlobName { get; init; }

    /// <summary>The event time, if given.</summary>
    public DateTimeOffset? Time { get; init; }

    /// <summary>The blob URL, if given.</summary>
    public Uri? Url { get; init; }

    /// <summary><c>data.eTag</c>, if given.</summary>
    public string? ETag { get; init; }

    /// <summary><c>data.contentLength</c>, if given.</summary>
    public long? ContentLength { get; init; }

    /// <summary><c>data.api</c> (PutBlob, PutBlockList, CopyBlob, FlushWithClose, ...), if given.</summary>
    public string? Api { get; init; }

    /// <summary><c>data.blobType</c> (BlockBlob, AppendBlob, PageBlob), if given.</summary>
    public string? BlobType { get; init; }

    /// <summary><c>data.sequencer</c>, if given.</summary>
    public string? Sequencer { get; init; }

    /// <summary>True when the event came in CloudEvents 1.0 schema.</summary>
    public bool IsCloudEvent { get; init; }
}
