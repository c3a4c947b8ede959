using CloudArchive.Core.Audit;
using CloudArchive.Core.Ingest.Quarantine;

namespace CloudArchive.Core.Ingest;

/// <summary>
/// The ingest's rejection path: a rejected upload goes to quarantine through <see cref="UploadQuarantiner"/> (the
/// same placement and 110107 line as the timers', attributed to what the ingest learnt), and a new instance of a
/// crypto-shredded study is discarded, never copied.
/// </summary>
internal sealed class IngestQuarantineStep(IIncomingStore incoming, UploadQuarantiner quarantiner, IngestAuditor auditor)
{
    public async Task<IngestResult> QuarantineAsync(IngestContext context, QuarantineReason reason, string message, CancellationToken cancellationToken)
    {
        if (reason is not (QuarantineReason.Empty or QuarantineReason.Oversized))
        {
            // The MAC identifies the content on the copy (ca_uploadmac); oversized uploads are not read twice for it.
            await context.EnsureUploadMacAsync(cancellationToken).ConfigureAwait(false);
        }

        var request = new QuarantineRequest
        {
            Container = context.Request.Container,
            BlobName = context.Request.BlobName,
            ETag = context.Upload.ETag,
            Content = context.Upload.Content,
            Length = context.Upload.Length,
            Reason = reason,
            Message = message,
            CorrelationId = context.Request.CorrelationId,
            EventId = context.Request.EventId,
            UploadReference = context.Upload.UploadReference,
            StudyKey = context.StudyKey,
            PatientPseudonym = context.Patient,
            InstanceKey = context.InstanceKey,
            UploadMac = context.UploadMac,
        };
        return await quarantiner.PlaceAsync(context.Upload, request, auditDetails: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A new instance of a crypto-shredded study: the archive must not hold it in any form, so the upload is deleted,
    /// never copied. The deletion is audited (110105) and so is the import's outcome (110107, <c>discarded</c>).
    /// </summary>
    public async Task<IngestResult> DiscardShreddedAsync(IngestContext context, CancellationToken cancellationToken)
    {
        var code = QuarantineReasonCodes.For(QuarantineReason.StudyShredded);
        await auditor.AuditDiscardAsync(context, [ImportAuditDetails.Discarded, ImportAuditDetails.ReasonPrefix + code], cancellationToken).ConfigureAwait(false);
        await auditor.AuditAsync(context, AuditEventType.Import, AuditOutcome.MinorFailure, context.StudyKey, null, [ImportAuditDetails.Discarded, ImportAuditDetails.ReasonPrefix + code], cancellationToken).ConfigureAwait(false);
        await context.DeleteUploadAsync(incoming, cancellationToken).ConfigureAwait(false);
        return new IngestResult(IngestOutcome.Discarded, context.InstanceKey, "discarded." + code);
    }
}
