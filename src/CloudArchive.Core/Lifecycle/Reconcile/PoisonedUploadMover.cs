using System.Globalization;
using System.Text.Json.Nodes;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Keys;

namespace CloudArchive.Core.Lifecycle.Reconcile;

/// <summary>
/// Moves a poisoned upload to quarantine with reason <c>ingest-failed</c> and its last error code: the one place where
/// reconciliation places into quarantine (through today's <see cref="IQuarantineStore.PlaceAsync"/>), so a new
/// quarantine store is wired in here alone. Same order as the ingest's own quarantine: copy and reason, audit line,
/// then the upload's delete conditional on the ETag read. Each step is safe to repeat: the copy is keyed by the
/// upload's MAC, so a re-run reuses it.
/// </summary>
public sealed class PoisonedUploadMover : IDisposable
{
    private readonly IIncomingStore _incoming;
    private readonly IQuarantineStore _quarantine;
    private readonly AuditLogWriter _audit;
    private readonly AuditActor _actor;
    private readonly TimeProvider _time;
    private readonly LazyIngestKeys _keys;

    /// <summary>Creates the mover.</summary>
    public PoisonedUploadMover(IIncomingStore incoming, IQuarantineStore quarantine, Keyring keyring, AuditLogWriter audit, AuditActor actor, TimeProvider? timeProvider = null)
    {
        _incoming = incoming ?? throw new ArgumentNullException(nameof(incoming));
        _quarantine = quarantine ?? throw new ArgumentNullException(nameof(quarantine));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _actor = actor ?? throw new ArgumentNullException(nameof(actor));
        _time = timeProvider ?? TimeProvider.System;
        _keys = new LazyIngestKeys(keyring ?? throw new ArgumentNullException(nameof(keyring)));
    }

    /// <summary>Moves the upload, or reports it gone.</summary>
    /// <param name="upload">The upload the poisoned event names.</param>
    /// <param name="errorCode">The last error code of its deliveries (normalized; <c>unknown</c> when none was recorded).</param>
    /// <param name="correlationId">The reconcile run's correlation id.</param>
    /// <param name="cancellationToken">Cancels the move.</param>
    public async Task<PoisonedUploadOutcome> MoveAsync(PoisonedUpload upload, string errorCode, string correlationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var code = IngestFailureNotes.Normalize(errorCode);
        var opened = await _incoming.OpenAsync(upload.Container, upload.BlobName, cancellationToken).ConfigureAwait(false);
        if (opened is null)
        {
            return PoisonedUploadOutcome.Gone;
        }

        await using (opened.ConfigureAwait(false))
        {
            var keys = await _keys.GetAsync(cancellationToken).ConfigureAwait(false);
            string mac;
            var sequential = await opened.OpenSequentialAsync(cancellationToken).ConfigureAwait(false);
            await using (sequential.ConfigureAwait(false))
            {
                (mac, _) = await keys.Mac.ComputeAsync(sequential, cancellationToken).ConfigureAwait(false);
            }

            var reason = QuarantineReasonCodes.For(QuarantineReason.IngestFailed);
            var reasonNode = new JsonObject
            {
                ["schema"] = "cloudarchive/quarantine-reason/v1",
                ["reason"] = reason,
                ["message"] = $"Every delivery of this upload's ingest event failed (last error: {code}); reconciliation moved it here from the poison queue.",
                ["errorCode"] = code,
                ["instanceKey"] = null,
                ["uploadLength"] = opened.Length,
                ["correlationId"] = correlationId,
                ["eventId"] = upload.EventId,
                ["uploadRef"] = opened.UploadReference,
                ["time"] = _time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture),
            };
            opened.Content.Position = 0;
            await _quarantine.PlaceAsync(upload.BlobName, opened.Content, mac, System.Text.Encoding.UTF8.GetBytes(reasonNode.ToJsonString()), cancellationToken).ConfigureAwait(false);

            List<string> details = [ImportAuditDetails.Quarantined, ImportAuditDetails.ReasonPrefix + reason, "error=" + code, "reconcile"];
            if (opened.UploadReference is { } reference)
            {
                details.Add(UploadReference.Detail(reference));
            }

            await _audit.AppendAsync(
                new AuditEvent
                {
                    EventType = AuditEventType.Import,
                    Action = AuditAction.Create,
                    Outcome = AuditOutcome.MinorFailure,
                    Actor = _actor,
                    Bytes = opened.Length,
                    CorrelationId = AuditFieldRules.CorrelationId().IsMatch(correlationId) ? correlationId : null,
                    Details = details,
                },
                cancellationToken).ConfigureAwait(false);
            await _incoming.DeleteAsync(upload.Container, upload.BlobName, opened.ETag, cancellationToken).ConfigureAwait(false);
            return PoisonedUploadOutcome.Quarantined;
        }
    }

    /// <summary>Releases the derived keys.</summary>
    public void Dispose() => _keys.Dispose();
}
