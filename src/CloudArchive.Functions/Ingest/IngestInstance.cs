using CloudArchive.Azure.Composition;
using CloudArchive.Azure.Lifecycle;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Lifecycle.Reconcile;
using CloudArchive.Functions.Lifecycle;
using CloudArchive.Functions.Middleware;
using Microsoft.Azure.Functions.Worker;

namespace CloudArchive.Functions.Ingest;

/// <summary>
/// The archive's "blob trigger": a queue trigger on <c>ingest-events</c>, which an Event Grid system topic subscription
/// fills with the <c>BlobCreated</c> events of the <c>incoming</c> container (docs/architecture.md §4). A queue rather
/// than a blob trigger because the ingest needs what only the event carries: its id, the blob's eTag and sequencer, and
/// the message's dequeue count. Each event's upload goes to <see cref="IIngestHandler"/>; any failure fails the
/// invocation so the host delivers the message again (the ingest is idempotent) and finally poisons it.
/// </summary>
public sealed class IngestInstance
{
    /// <summary>The function name (functions.metadata, logs, the infrastructure).</summary>
    public const string Name = "IngestInstance";

    /// <summary>The queue Event Grid delivers to.</summary>
    public const string Queue = CloudArchive.Azure.Composition.ArchiveQueueNames.Ingest;

    /// <summary>The app setting (prefix) naming the queue storage account.</summary>
    public const string Connection = "CloudArchiveQueues";

    private readonly IIngestHandler _handler;
    private readonly CloudArchiveSettings _settings;
    private readonly IngestFailureNotes _failures;
    private readonly ILogger<IngestInstance> _logger;

    /// <summary>Creates the function.</summary>
    public IngestInstance(IIngestHandler handler, CloudArchiveSettings settings, IngestFailureNotes failures, ILogger<IngestInstance> logger)
    {
        _handler = handler ?? throw new ArgumentNullException(nameof(handler));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _failures = failures ?? throw new ArgumentNullException(nameof(failures));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Runs one delivery of a queue message.</summary>
    [Function(Name)]
    public async Task RunAsync([QueueTrigger(Queue, Connection = Connection)] string message, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var deliveryCount = QueueBindingData.DequeueCount(context.BindingContext.BindingData);
        await IngestRecordingFailuresAsync(message, deliveryCount, context.CorrelationId(), context.CancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <see cref="IngestAsync"/>, recording a failed delivery's error code for reconciliation (which quarantines the upload
    /// once the message is poisoned) and clearing it when a retry succeeds; the failure itself is rethrown.
    /// </summary>
    public async Task<IReadOnlyList<IngestResult>> IngestRecordingFailuresAsync(string message, int deliveryCount, string correlationId, CancellationToken cancellationToken)
    {
        IReadOnlyList<IngestResult> results;
        try
        {
            results = await IngestAsync(message, deliveryCount, correlationId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not InvalidMessageException && !cancellationToken.IsCancellationRequested)
        {
            // An invalid message names no upload reconcile could move, so only failures of a readable event are noted.
            await _failures.RecordAsync(IngestMessageKey.Of(message), IngestErrorCodes.Of(ex), deliveryCount, cancellationToken).ConfigureAwait(false);
            throw;
        }

        if (deliveryCount > 1)
        {
            // Only a retried message can have a note; the first delivery's success costs no request.
            await _failures.ClearAsync(IngestMessageKey.Of(message), cancellationToken).ConfigureAwait(false);
        }

        return results;
    }

    /// <summary>Ingests every upload the message's events name; returns each result in order.</summary>
    /// <exception cref="InvalidMessageException">The message is not a BlobCreated event of the incoming container.</exception>
    public async Task<IReadOnlyList<IngestResult>> IngestAsync(string message, int deliveryCount, string correlationId, CancellationToken cancellationToken)
    {
        var events = BlobCreatedEventParser.Parse(QueueMessageText.DecodeJson(message), _settings.Containers.Incoming);
        var results = new List<IngestResult>(events.Count);
        foreach (var blobEvent in events)
        {
            var result = await _handler.IngestAsync(
                new IngestRequest
                {
                    Container = blobEvent.Container,
                    BlobName = blobEvent.BlobName,
                    EventId = blobEvent.Id,
                    EventTime = blobEvent.Time,
                    ETag = blobEvent.ETag,
                    ContentLength = blobEvent.ContentLength,
                    Api = blobEvent.Api,
                    Sequencer = blobEvent.Sequencer,
                    DeliveryCount = Math.Max(1, deliveryCount),
                    CorrelationId = correlationId,
                },
                cancellationToken).ConfigureAwait(false);

            // Event ids, outcomes, opaque keys and reason codes only: never the blob name, which may hold patient data.
            _logger.LogInformation(
                "{Function} {CorrelationId}: event {EventId} (delivery {Delivery}): {Outcome}{Instance}{Reason}",
                Name, correlationId, CorrelationIds.IsSafe(blobEvent.Id) ? blobEvent.Id : "(unprintable id)", deliveryCount, result.Outcome,
                result.InstanceKey is null ? "" : " instance " + result.InstanceKey,
                result.ReasonCode is null ? "" : " reason " + result.ReasonCode);
            results.Add(result);
        }

        return results;
    }
}
