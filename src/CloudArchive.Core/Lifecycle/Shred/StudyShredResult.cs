namespace CloudArchive.Core.Lifecycle.Shred;

/// <summary>What a complete shred did.</summary>
/// <param name="StudyKey">The opaque study key.</param>
/// <param name="KeyExisted">False when no key was left to destroy (a repeated or resumed shred).</param>
/// <param name="ShreddedAt">When the key was destroyed.</param>
/// <param name="ResearchInstancesWithdrawn">Research copies deleted, over every agreement.</param>
/// <param name="AgreementsWithdrawn">Agreements that had copies of the study.</param>
/// <param name="QuarantineCopiesDeleted">Quarantined uploads of the study deleted.</param>
public sealed record StudyShredResult(string StudyKey, bool KeyExisted, DateTimeOffset ShreddedAt, int ResearchInstancesWithdrawn, int AgreementsWithdrawn, int QuarantineCopiesDeleted);
