using CloudArchive.Core.Audit;

namespace CloudArchive.Core.Lifecycle.Erasure;

/// <summary>An erasure request (GDPR Art. 17): a patient's, or a court's on the patient's behalf.</summary>
/// <param name="PatientId">The Patient ID as in the images (turned into the pseudonym at once; never stored, printed or logged).</param>
/// <param name="Issuer">The Issuer of Patient ID, if any.</param>
/// <param name="Basis">The legal basis or the request's reference (kept in the erasure record in <c>control</c>, never in audit lines).</param>
/// <param name="Actor">Who executes it.</param>
/// <param name="DryRun">Decide and report, change nothing (and record nothing).</param>
/// <param name="CorrelationId">Ties the audit lines together, if any.</param>
public sealed record ErasureRequest(string PatientId, string? Issuer, string Basis, AuditActor Actor, bool DryRun, string? CorrelationId = null);
