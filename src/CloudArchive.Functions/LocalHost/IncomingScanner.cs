using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using CloudArchive.Azure.Storage;

namespace CloudArchive.Functions.LocalHost;

/// <summary>
/// Lists <c>incoming</c> and enqueues one BlobCreated event per new upload version (name + ETag), like
/// Event Grid does for each Put Blob / Put Block List. A blob overwritten with new content has a new ETag
/// and is enqueued again.
/// </summary>
internal sealed class IncomingScanner
{
    private readonly BlobContainerClient _incoming;
    private readonly QueueClient _queue;
    private readonly ScanState _state;
    private readonly string _topic;
    private readonly TimeProvider _time;
    private bool _loaded;

    /// <param name="blobs">The account holding <paramref name="incomingContainer"/> and <paramref name="stateContainer"/>.</param>
    /// <param name="queues">The account holding <paramref name="queueName"/>.</param>
    /// <param name="incomingContainer">The uploads container.</param>
    /// <param name="queueName">Where the events go (the ingest function's queue).</param>
    /// <param name="stateContainer">Where the scanner remembers what it enqueued.</param>
    /// <param name="time">The clock of the event times.</param>
    public IncomingScanner(StorageConnection blobs, StorageConnection queues, string incomingContainer, string queueName, string stateContainer, TimeProvider time)
    {
        var connection = blobs;
        _incoming = connection.Blobs.GetBlobContainerClient(incomingContainer);
        _queue = queues.Queues.GetQueueClient(queueName);
        _state = new ScanState(connection.Blobs.GetBlobContainerClient(stateContainer));
        _time = time;
        _topic = BlobCreatedEventFactory.AccountResourceId(connection.BlobServiceUri);
    }

    /// <summary>One pass: returns the number of events enqueued.</summary>
    public async Task<int> ScanOnceAsync(CancellationToken cancellationToken)
    {
        if (!_loaded)
        {
            await _state.LoadAsync(cancellationToken).ConfigureAwait(false);
            await StorageCall.RunAsync("CreateContainer", () => _incoming.CreateIfNotExistsAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
            await StorageCall.RunAsync("CreateQueue", () => _queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
            _loaded = true;
        }

        var enqueued = 0;
        var present = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var blob in StorageListing.ListAsync(_incoming, prefix: null, BlobTraits.None, cancellationToken).ConfigureAwait(false))
        {
            if (blob.Properties.BlobType != BlobType.Block || blob.Properties.ETag is not { } etag)
            {
                continue;
            }

            // As the Event Grid subscription in Azure does: a STOW-RS part is ingested by its own request.
            if (blob.Name.StartsWith(CloudArchive.Core.DicomWeb.Stow.StowService.UploadPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            present.Add(ScanState.NameHash(blob.Name));
            var tag = etag.ToString();
            if (_state.IsKnown(blob.Name, tag))
            {
                continue;
            }

            var text = BlobCreatedEventFactory.Create(_incoming.Uri, _topic, _incoming.Name, blob, _time.GetUtcNow());
            await StorageCall.RunAsync("PutMessage", () => _queue.SendMessageAsync(text, cancellationToken: cancellationToken)).ConfigureAwait(false);
            _state.Remember(blob.Name, tag);
            enqueued++;
        }

        if (_state.RetainOnly(present) | enqueued > 0)
        {
            await _state.SaveAsync(cancellationToken).ConfigureAwait(false);
        }

        return enqueued;
    }
}
