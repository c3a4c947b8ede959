using System.Collections.Concurrent;

namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>
/// Group commit for blob deletes: concurrent <see cref="DeleteAsync"/> calls on one container are coalesced into
/// Blob Batch requests, so N concurrent deletes cost far fewer than N requests. Thread-safe; share one instance
/// per process (per <see cref="BlobStorageClient"/>) so that concurrent callers actually meet.
/// </summary>
/// <remarks>
/// No timer: when nothing is in flight for the container a call is sent at once (alone, as a plain Delete Blob).
/// While a request is in flight, arriving calls queue and go together, up to
/// <see cref="BlobContainerClient.MaxBatchDeletes"/> at a time, as soon as it completes. Each caller gets its own
/// item's outcome. A caller cancelled while still queued is removed and sees <see cref="OperationCanceledException"/>;
/// once its item was sent it waits for the outcome. When the request as a whole fails (transport error, 5xx after
/// the pipeline's retries, unreadable response) every caller in it gets that exception.
/// </remarks>
public sealed class BlobDeleteBatcher
{
    private readonly BlobStorageClient _blobs;
    private readonly ConcurrentDictionary<string, BlobDeleteBatchLane> _lanes = new(StringComparer.Ordinal);

    /// <summary>Creates a batcher sending through <paramref name="blobs"/>.</summary>
    public BlobDeleteBatcher(BlobStorageClient blobs) => _blobs = blobs ?? throw new ArgumentNullException(nameof(blobs));

    /// <summary>
    /// Deletes one blob, possibly together with other callers' deletes in the same container. A 404 or 412 is the
    /// returned outcome; other refusals are <see cref="BlobBatchDeleteOutcome.Failed"/> with
    /// <see cref="BlobBatchDeleteResult.Error"/>; a failure of the whole request is thrown.
    /// </summary>
    public Task<BlobBatchDeleteResult> DeleteAsync(string containerName, BlobBatchDelete item, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerName);

        // Validated here so that a bad item fails its own caller and never the batch it would have joined.
        BlobBatchRequestBuilder.Validate(item);
        var lane = _lanes.GetOrAdd(containerName, static (name, blobs) => new BlobDeleteBatchLane(blobs.GetContainer(name)), _blobs);
        return lane.DeleteAsync(item, cancellationToken);
    }
}
