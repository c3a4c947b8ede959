using CloudArchive.Core.Audit;

namespace CloudArchive.Core.Ingest;

/// <summary>Writes the ingest's audit lines (110107 Import, 110113 Security Alert, 110105 for a discarded upload) with opaque keys only.</summary>
internal sealed class IngestAuditor(AuditLogWriter audit, AuditActor actor)
{
    public AuditActor Actor { get; } = actor;

    /// <summary>An opaque key for the audit line, or null when the value is not one (never a raw identifier).</summary>
    public static OpaqueKey? KeyOrNull(string? value) => OpaqueKey.IsValid(value) ? new OpaqueKey(value!) : null;

    /// <summary>The correlation id when it is safe to audit, else null.</summary>
    public static string? CorrelationIdOrNull(string correlationId) => AuditFieldRules.CorrelationId().IsMatch(correlationId) ? correlationId : null;

    public Task AuditAsync(IngestContext context, AuditEventType type, AuditOutcome outcome, string? studyKey, string? patient, IReadOnlyList<string> details, CancellationToken cancellationToken, long? bytes = null)
    {
        var auditEvent = new AuditEvent
        {
            EventType = type,
            Action = AuditAction.Create,
            Outcome = outcome,
            Actor = Actor,
            Study = KeyOrNull(studyKey),
            Instance = KeyOrNull(context.InstanceKey),
            Patient = KeyOrNull(patient),
            Bytes = bytes ?? context.Upload.Length,
            CorrelationId = CorrelationIdOrNull(context.Request.CorrelationId),
            Details = type == AuditEventType.Import && context.Upload.UploadReference is { } reference ? [.. details, UploadReference.Detail(reference)] : details,
        };
        return audit.AppendAsync(auditEvent, cancellationToken);
    }

    /// <summary>The deletion of an upload of a crypto-shredded study (110105), audited before the import's own line.</summary>
    public Task AuditDiscardAsync(IngestContext context, IReadOnlyList<string> details, CancellationToken cancellationToken)
    {
        var deletion = new AuditEvent
        {
            EventType = AuditEventType.StudyDeleted,
            Action = AuditAction.Delete,
            Outcome = AuditOutcome.Success,
            Actor = Actor,
            Study = KeyOrNull(context.StudyKey),
            Instance = KeyOrNull(context.InstanceKey),
            Bytes = context.Upload.Length,
            CorrelationId = CorrelationIdOrNull(context.Request.CorrelationId),
            Details = details,
        };
        return audit.AppendAsync(deletion, cancellationToken);
    }
}
