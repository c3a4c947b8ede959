using System.Globalization;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Keys;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudArchive.Core.Lifecycle.Reconcile;

/// <summary>
/// Reconciles <c>incoming</c> with the ingest queue (docs/lifecycle/reconcile.md). An upload leaves
/// <c>incoming</c> when its ingest completes, so one still there past <see cref="ReconcileOptions.StaleAfter"/> lost its
/// event and is put back on the queue; a poison message whose upload still exists failed every delivery, and its upload
/// is moved to quarantine as <c>ingest-failed</c> with the last error code. Either raises an alert (error log with a
/// stable event id, and a 110113 line). Every step is safe to repeat, so an interrupted run is simply run again.
/// </summary>
public sealed class ReconcileService : IDisposable
{
    private const int PoisonBatch = 32;
    private static readonly TimeSpan PoisonVisibility = TimeSpan.FromMinutes(5);
    private readonly IIncomingInventory _inventory;
    private readonly IIngestEventQueue _queue;
    private readonly IReconcileLedger _ledger;
    private readonly IngestFailureNotes _notes;
    private readonly PoisonedUploadMover _mover;
    private readonly AuditLogWriter _audit;
    private readonly ReconcileOptions _options;
    private readonly AuditActor _actor;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LazyIngestKeys _keys;

    /// <summary>Creates the service.</summary>
    /// <param name="inventory">Lists <c>incoming</c>.</param>
    /// <param name="queue">The ingest queue and its poison queue.</param>
    /// <param name="ledger">Failure notes and re-enqueue marks in <c>control</c>.</param>
    /// <param name="mover">Moves poisoned uploads to quarantine.</param>
    /// <param name="keyring">The index key (keyed MACs of upload versions).</param>
    /// <param name="audit">The audit log.</param>
    /// <param name="options">Threshold and limits.</param>
    /// <param name="actor">Who runs it (the timer, or an operator through the CLI).</param>
    /// <param name="timeProvider">Clock.</param>
    /// <param name="logger">Alerts (counts and codes only).</param>
    public ReconcileService(IIncomingInventory inventory, IIngestEventQueue queue, IReconcileLedger ledger, PoisonedUploadMover mover, Keyring keyring, AuditLogWriter audit, ReconcileOptions options, AuditActor actor, TimeProvider? timeProvider = null, ILogger<ReconcileService>? logger = null)
    {
        _inventory = inventory ?? throw new ArgumentNullException(nameof(inventory));
        _queue = queue ?? throw new ArgumentNullException(nameof(queue));
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _mover = mover ?? throw new ArgumentNullException(nameof(mover));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _actor = actor ?? throw new ArgumentNullException(nameof(actor));
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _notes = new IngestFailureNotes(ledger, _time);
        _keys = new LazyIngestKeys(keyring ?? throw new ArgumentNullException(nameof(keyring)));
        if (options.Validate() is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join(' ', problems), nameof(options));
        }
    }

    /// <summary>Runs once: poison queue first (its uploads leave <c>incoming</c>), then stale uploads.</summary>
    public async Task<ReconcileResult> RunAsync(string correlationId, CancellationToken cancellationToken)
    {
        var (quarantined, cleared, unreadable) = await DrainPoisonAsync(correlationId, cancellationToken).ConfigureAwait(false);
        var (reenqueued, waiting) = await ReenqueueStaleAsync(correlationId, cancellationToken).ConfigureAwait(false);
        if (unreadable > 0)
        {
            _logger.LogWarning("Reconcile {CorrelationId}: {Count} poison message(s) name no upload of incoming; left in the poison queue for a person.", correlationId, unreadable);
        }

        if (quarantined > 0)
        {
            _logger.LogError(LifecycleLogEvents.PoisonedUploadsQuarantined, "Reconcile {CorrelationId}: {Count} poisoned upload(s) moved to quarantine as ingest-failed.", correlationId, quarantined);
            await AlertAsync("reconcile-poisoned-uploads", quarantined, correlationId, cancellationToken).ConfigureAwait(false);
        }

        if (reenqueued > 0)
        {
            _logger.LogError(LifecycleLogEvents.StaleUploadsReenqueued, "Reconcile {CorrelationId}: {Count} upload(s) waited in incoming past {Threshold} without an ingest and were re-enqueued.", correlationId, reenqueued, _options.StaleAfter);
            await AlertAsync("reconcile-stale-uploads", reenqueued, correlationId, cancellationToken).ConfigureAwait(false);
        }

        return new ReconcileResult(reenqueued, waiting, quarantined, cleared, unreadable);
    }

    private async Task<(int Quarantined, int Cleared, int Unreadable)> DrainPoisonAsync(string correlationId, CancellationToken cancellationToken)
    {
        int quarantined = 0, cleared = 0, unreadable = 0, handled = 0;
        while (handled < _options.MaxPoisonMessagesPerRun)
        {
            var batch = await _queue.ReceivePoisonedAsync(Math.Min(PoisonBatch, _options.MaxPoisonMessagesPerRun - handled), PoisonVisibility, cancellationToken).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var message in batch)
            {
                handled++;
                if (message.Uploads is null)
                {
                    // Not an event of incoming: nothing here can be moved, and deleting it would lose what a person must see.
                    unreadable++;
                    continue;
                }

                var code = await _notes.LastErrorCodeAsync(message.MessageKey, cancellationToken).ConfigureAwait(false);
                var moved = 0;
                foreach (var upload in message.Uploads)
                {
                    if (await _mover.MoveAsync(upload, code, correlationId, cancellationToken).ConfigureAwait(false) == PoisonedUploadOutcome.Quarantined)
                    {
                        moved++;
                    }
                }

                // The message goes last: a crash before this leaves it, and the re-run finds the uploads gone or reuses their copies.
                await _ledger.DeleteFailureAsync(message.MessageKey, cancellationToken).ConfigureAwait(false);
                await _queue.DeletePoisonedAsync(message, cancellationToken).ConfigureAwait(false);
                quarantined += moved;
                if (moved == 0)
                {
                    cleared++;
                }
            }
        }

        return (quarantined, cleared, unreadable);
    }

    private async Task<(int Reenqueued, int Waiting)> ReenqueueStaleAsync(string correlationId, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var keys = await _keys.GetAsync(cancellationToken).ConfigureAwait(false);
        var stale = new HashSet<string>(StringComparer.Ordinal);
        int reenqueued = 0, waiting = 0;
        await foreach (var upload in _inventory.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (now - upload.LastModified < _options.StaleAfter)
            {
                continue;
            }

            // A keyed MAC of name and version: the mark's name reveals nothing, and a replaced upload is a new version.
            var uploadKey = keys.Mac.ComputeText("reconcile\n" + upload.Container + "/" + upload.Name + "\n" + upload.ETag);
            stale.Add(uploadKey);
            if (await _ledger.GetReenqueuedAsync(uploadKey, cancellationToken).ConfigureAwait(false) is { } last && now - last < _options.StaleAfter)
            {
                waiting++;
                continue;
            }

            List<string> details = ["reconcile-reenqueued"];
            if (upload.UploadReference is { } reference)
            {
                details.Add(UploadReference.Detail(reference));
            }

            // 110100, not 110107: an import line would read as this upload's outcome to upload --wait and the demo.
            // Audit, enqueue, mark: a crash in between repeats a line or a message (the ingest is idempotent), never loses one.
            await AppendAsync(AuditEventType.ApplicationActivity, AuditAction.Execute, AuditOutcome.MinorFailure, upload.Length, details, correlationId, cancellationToken).ConfigureAwait(false);
            await _queue.EnqueueAsync(upload, now, cancellationToken).ConfigureAwait(false);
            await _ledger.MarkReenqueuedAsync(uploadKey, now, cancellationToken).ConfigureAwait(false);
            reenqueued++;
        }

        // Marks of uploads that have left incoming (ingested, quarantined, deleted) are no longer needed.
        var obsolete = new List<string>();
        await foreach (var key in _ledger.ListReenqueuedAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!stale.Contains(key))
            {
                obsolete.Add(key);
            }
        }

        foreach (var key in obsolete)
        {
            await _ledger.DeleteReenqueuedAsync(key, cancellationToken).ConfigureAwait(false);
        }

        return (reenqueued, waiting);
    }

    private Task AlertAsync(string what, int count, string correlationId, CancellationToken cancellationToken) =>
        AppendAsync(AuditEventType.SecurityAlert, AuditAction.Execute, AuditOutcome.MinorFailure, null, [what, string.Create(CultureInfo.InvariantCulture, $"count={count}")], correlationId, cancellationToken);

    private async Task AppendAsync(AuditEventType type, AuditAction action, AuditOutcome outcome, long? bytes, IReadOnlyList<string> details, string correlationId, CancellationToken cancellationToken) =>
        await _audit.AppendAsync(
            new AuditEvent
            {
                EventType = type,
                Action = action,
                Outcome = outcome,
                Actor = _actor,
                Bytes = bytes,
                CorrelationId = AuditFieldRules.CorrelationId().IsMatch(correlationId) ? correlationId : null,
                Details = details,
            },
            cancellationToken).ConfigureAwait(false);

    /// <summary>Releases the derived keys.</summary>
    public void Dispose() => _keys.Dispose();
}
