namespace CloudArchive.Core.Keys;

/// <summary>One key-management event. Holds opaque identifiers only: no key bytes, no PHI.</summary>
/// <param name="Action">What happened.</param>
/// <param name="Time">When.</param>
/// <param name="Succeeded">False for refusals and failures.</param>
/// <param name="StudyKey">The opaque study key, when the event concerns one study.</param>
/// <param name="KekKeyId">The versioned KEK id involved, if any.</param>
/// <param name="Actor">Who asked (object id, UPN or app), when known.</param>
/// <param name="Reason">Why (operator-supplied reason, or the refusal reason).</param>
/// <param name="Count">Number of entries affected, for bulk operations.</param>
public sealed record KeyAuditEvent(
    KeyAuditAction Action,
    DateTimeOffset Time,
    bool Succeeded,
    string? StudyKey = null,
    string? KekKeyId = null,
    string? Actor = null,
    string? Reason = null,
    long? Count = null);
