using CloudArchive.Core.Audit;

namespace CloudArchive.Core.Lifecycle.Shred;

/// <summary>A request to shred one study completely.</summary>
/// <param name="StudyKey">The opaque study key.</param>
/// <param name="Actor">Who asked (audit).</param>
/// <param name="ReasonCode">Why, as a lowercase code (<c>operator-request</c>, <c>retention-expired</c>, <c>erasure</c>).</param>
/// <param name="CorrelationId">Ties the audit lines together, if any.</param>
public sealed record StudyShredRequest(string StudyKey, AuditActor Actor, string ReasonCode, string? CorrelationId = null);
