using CloudArchive.Core.Audit;

namespace CloudArchive.Core.Ingest.Quarantine;

/// <summary>
/// Quarantines an upload still in <c>incoming</c> outside a normal ingest (the timers that give up on stale uploads
/// and poison messages, reason <see cref="QuarantineReason.IngestFailed"/>): opens it, places it through
/// <see cref="QuarantineWriter"/>, writes the same 110107 failure line as the ingest (with <c>quarantine-id=</c>), and
/// deletes the upload only if it is still the version copied. Safe to repeat: the id is keyed by the upload version.
/// </summary>
public sealed class UploadQuarantiner
{
    private readonly IIncomingStore _incoming;
    private readonly QuarantineWriter _writer;
    private readonly AuditLogWriter _audit;
    private readonly AuditActor _actor;

    /// <summary>Creates the quarantiner.</summary>
    public UploadQuarantiner(IIncomingStore incoming, QuarantineWriter writer, AuditLogWriter audit, AuditActor? actor = null)
    {
        _incoming = incoming ?? throw new ArgumentNullException(nameof(incoming));
        _writer = writer ?? throw new ArgumentNullException(nameof(writer));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _actor = actor ?? new AuditActor("svc:cloudarchive-ingest", app: "cloudarchive-functions", role: "ingest");
    }

    /// <summary>Places the upload in quarantine with <paramref name="reason"/>; <see cref="IngestOutcome.AlreadyHandled"/> when it is gone.</summary>
    /// <param name="container">The upload's container.</param>
    /// <param name="blobName">The upload's name (never stored, logged or audited).</param>
    /// <param name="reason">Why.</param>
    /// <param name="message">What a person can act on; no attribute values, no upload name.</param>
    /// <param name="correlationId">The invocation's correlation id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <param name="auditDetails">More codes for the audit line (e.g. the last error code); no patient data.</param>
    /// <param name="eventId">The ingest event that announced the upload, when known (recorded in the reason).</param>
    public async Task<IngestResult> QuarantineAsync(string container, string blobName, QuarantineReason reason, string message, string correlationId, CancellationToken cancellationToken, IReadOnlyList<string>? auditDetails = null, string? eventId = null)
    {
        var upload = await _incoming.OpenAsync(container, blobName, cancellationToken).ConfigureAwait(false);
        if (upload is null)
        {
            return new IngestResult(IngestOutcome.AlreadyHandled);
        }

        await using (upload.ConfigureAwait(false))
        {
            var request = new QuarantineRequest
            {
                Container = container,
                BlobName = blobName,
                ETag = upload.ETag,
                Content = upload.Content,
                Length = upload.Length,
                Reason = reason,
                Message = message,
                CorrelationId = correlationId,
                EventId = eventId,
                UploadReference = upload.UploadReference,
            };
            return await PlaceAsync(upload, request, auditDetails, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Places an upload that is already open (the ingest's own rejections): copies it through
    /// <see cref="QuarantineWriter"/>, writes the 110107 failure line attributed to the request's study, instance and
    /// patient when known, and deletes the upload if it is still the version copied.
    /// </summary>
    /// <param name="upload">The open upload; its content is read from the start.</param>
    /// <param name="request">What to place; its <see cref="QuarantineRequest.Content"/> is the upload's content.</param>
    /// <param name="auditDetails">More codes for the audit line; no patient data.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    internal async Task<IngestResult> PlaceAsync(IncomingUpload upload, QuarantineRequest request, IReadOnlyList<string>? auditDetails, CancellationToken cancellationToken)
    {
        upload.Content.Position = 0;
        var placed = await _writer.PlaceAsync(request, cancellationToken).ConfigureAwait(false);
        var code = QuarantineReasonCodes.For(request.Reason);
        List<string> details = [ImportAuditDetails.Quarantined, ImportAuditDetails.ReasonPrefix + code, ImportAuditDetails.QuarantineIdPrefix + placed.Id, .. auditDetails ?? []];
        if (upload.UploadReference is { } reference)
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
                Study = IngestAuditor.KeyOrNull(request.StudyKey),
                Instance = IngestAuditor.KeyOrNull(request.InstanceKey),
                Patient = IngestAuditor.KeyOrNull(request.PatientPseudonym),
                Bytes = upload.Length,
                CorrelationId = IngestAuditor.CorrelationIdOrNull(request.CorrelationId),
                Details = details,
            },
            cancellationToken).ConfigureAwait(false);
        await _incoming.DeleteAsync(request.Container, request.BlobName, upload.ETag, cancellationToken).ConfigureAwait(false);
        return new IngestResult(IngestOutcome.Quarantined, request.InstanceKey, QuarantineReasonCodes.ResultCode(request.Reason)) { QuarantineId = placed.Id };
    }
}
