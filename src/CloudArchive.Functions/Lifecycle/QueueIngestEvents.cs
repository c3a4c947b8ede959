using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using CloudArchive.Azure.Composition;
using CloudArchive.Azure.Storage;
using CloudArchive.Core.Lifecycle.Reconcile;
using CloudArchive.Functions.Ingest;
using CloudArchive.Functions.LocalHost;
using CloudArchive.Functions.Middleware;

namespace CloudArchive.Functions.Lifecycle;

/// <summary>
/// <see cref="IIngestEventQueue"/> over <c>ingest-events</c> and <c>ingest-events-poison</c>. It lives beside the ingest
/// trigger because it writes exactly what the trigger decodes (<see cref="BlobCreatedEventFactory"/>, the event Event
/// Grid sends) and reads poison messages with the trigger's own parser.
/// </summary>
public sealed class QueueIngestEvents : IIngestEventQueue
{
    private readonly QueueClient _queue;
    private readonly QueueClient _poison;
    private readonly Uri _incomingUri;
    private readonly string _incoming;
    private readonly string _topic;

    /// <summary>Creates the adapter.</summary>
    /// <param name="storage">The archive's account (blobs for the event's URL, queues for the messages).</param>
    /// <param name="settings">The container names.</param>
    public QueueIngestEvents(StorageConnection storage, CloudArchiveSettings settings)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(settings);
        _queue = storage.Queues.GetQueueClient(ArchiveQueueNames.Ingest);
        _poison = storage.Queues.GetQueueClient(ArchiveQueueNames.Poison(ArchiveQueueNames.Ingest));
        _incoming = settings.Containers.Incoming;
        _incomingUri = storage.Blobs.GetBlobContainerClient(_incoming).Uri;
        _topic = BlobCreatedEventFactory.AccountResourceId(storage.BlobServiceUri);
    }

    /// <inheritdoc />
    public async Task EnqueueAsync(IncomingBlob upload, DateTimeOffset eventTime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var text = BlobCreatedEventFactory.Create(_incomingUri, _topic, upload.Container, upload.Name, upload.ETag, upload.Length, upload.ContentType, upload.LastModified, eventTime);
        await StorageCall.RunAsync("PutMessage", () => _queue.SendMessageAsync(text, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PoisonedIngestMessage>> ReceivePoisonedAsync(int maxMessages, TimeSpan visibility, CancellationToken cancellationToken)
    {
        QueueMessage[] messages;
        try
        {
            messages = await StorageCall.RunAsync("GetMessages", () => _poison.ReceiveMessagesAsync(maxMessages, visibility, cancellationToken)).ConfigureAwait(false);
        }
        catch (StorageRequestException ex) when (ex.IsNotFound)
        {
            return []; // no poison queue yet: nothing ever failed
        }

        return messages.Select(Read).ToList();
    }

    /// <inheritdoc />
    public async Task DeletePoisonedAsync(PoisonedIngestMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            await StorageCall.RunAsync("DeleteMessage", () => _poison.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken)).ConfigureAwait(false);
        }
        catch (StorageRequestException ex) when (ex.IsNotFound)
        {
            // Already deleted by an earlier, interrupted run.
        }
    }

    private PoisonedIngestMessage Read(QueueMessage message)
    {
        var text = message.Body.ToString();
        IReadOnlyList<PoisonedUpload>? uploads;
        try
        {
            uploads = BlobCreatedEventParser.Parse(QueueMessageText.DecodeJson(text), _incoming)
                .Select(e => new PoisonedUpload(e.Container, e.BlobName, e.Id))
                .ToList();
        }
        catch (InvalidMessageException)
        {
            uploads = null;
        }

        return new PoisonedIngestMessage(message.MessageId, message.PopReceipt, IngestMessageKey.Of(text), uploads);
    }
}
