namespace CloudArchive.Core.Audit.Seals;

/// <summary>What sealing one hour did.</summary>
/// <param name="Hour">The hour.</param>
/// <param name="Created">True when this call wrote the seal; false when it existed (a re-run) and was verified instead.</param>
/// <param name="Seal">The seal now in the store.</param>
/// <param name="Findings">For an existing seal: what its verification found (empty when it holds).</param>
public sealed record AuditSealOutcome(DateTimeOffset Hour, bool Created, AuditSeal Seal, IReadOnlyList<AuditFinding> Findings);
