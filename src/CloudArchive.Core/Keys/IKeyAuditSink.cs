namespace CloudArchive.Core.Keys;

/// <summary>Port through which the keyring records key-management events in the audit log.</summary>
public interface IKeyAuditSink
{
    /// <summary>Records one event; a failure here fails the operation that caused it.</summary>
    ValueTask RecordAsync(KeyAuditEvent auditEvent, CancellationToken cancellationToken);
}
