using CloudArchive.Core.Keys;

namespace CloudArchive.Core.Audit;

/// <summary>Records keyring events (key created, shredded, refused, rewrapped) as audit log lines.</summary>
public sealed class AuditLogKeyAuditSink : IKeyAuditSink
{
    private readonly AuditLogWriter _writer;
    private readonly AuditActor _actor;

    /// <summary>Creates the sink.</summary>
    public AuditLogKeyAuditSink(AuditLogWriter writer, AuditActor actor)
    {
        _writer = writer ?? throw new ArgumentNullException(nameof(writer));
        _actor = actor ?? throw new ArgumentNullException(nameof(actor));
    }

    /// <inheritdoc />
    public async ValueTask RecordAsync(KeyAuditEvent auditEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        var (type, action, detail) = auditEvent.Action switch
        {
            KeyAuditAction.StudyKeyCreated => (AuditEventType.ApplicationActivity, AuditAction.Create, "study-key-created"),
            KeyAuditAction.IndexKeyCreated => (AuditEventType.ApplicationActivity, AuditAction.Create, "index-key-created"),
            KeyAuditAction.AgreementSecretCreated => (AuditEventType.ApplicationActivity, AuditAction.Create, "agreement-secret-created"),
            KeyAuditAction.AuditChainKeyCreated => (AuditEventType.ApplicationActivity, AuditAction.Create, "audit-chain-key-created"),
            KeyAuditAction.QuarantineKeyCreated => (AuditEventType.ApplicationActivity, AuditAction.Create, "quarantine-key-created"),
            KeyAuditAction.StudyKeyShredded => (AuditEventType.StudyDeleted, AuditAction.Delete, "study-key-shredded"),
            KeyAuditAction.StudyKeyShredRefused => (AuditEventType.SecurityAlert, AuditAction.Delete, "study-key-shred-refused"),
            _ => (AuditEventType.ApplicationActivity, AuditAction.Update, "keys-rewrapped"),
        };
        await _writer.AppendAsync(
            new AuditEvent
            {
                EventType = type,
                Action = action,
                Outcome = auditEvent.Succeeded ? AuditOutcome.Success : AuditOutcome.MinorFailure,
                Actor = _actor,
                Study = OpaqueKey.IsValid(auditEvent.StudyKey) ? new OpaqueKey(auditEvent.StudyKey!) : null,
                Details = [detail],
            },
            cancellationToken).ConfigureAwait(false);
    }
}
