namespace CloudArchive.Core.Audit;

/// <summary>Which audit records a query returns; every set criterion must match.</summary>
public sealed record AuditQueryFilter
{
    /// <summary>Records at or after this time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Records before this time (exclusive).</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Actor object id / component id, or UPN (case-insensitive for UPNs).</summary>
    public string? Actor { get; init; }

    /// <summary>Action code.</summary>
    public AuditAction? Action { get; init; }

    /// <summary>DICOM event id.</summary>
    public AuditEventType? EventType { get; init; }

    /// <summary>Opaque study key.</summary>
    public OpaqueKey? Study { get; init; }

    /// <summary>True when the record matches.</summary>
    public bool Matches(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var e = record.Event;
        return (From is not { } from || record.Time >= from)
            && (To is not { } to || record.Time < to)
            && (Actor is null || e.Actor.Id == Actor || string.Equals(e.Actor.Upn, Actor, StringComparison.OrdinalIgnoreCase))
            && (Action is not { } action || e.Action == action)
            && (EventType is not { } type || e.EventType == type)
            && (Study is not { } study || e.Study == study);
    }
}
