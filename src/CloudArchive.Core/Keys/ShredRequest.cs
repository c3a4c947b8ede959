namespace CloudArchive.Core.Keys;

/// <summary>A request to crypto-shred a study.</summary>
/// <param name="StudyKey">The opaque study key.</param>
/// <param name="Actor">Who asked (recorded in the audit log).</param>
/// <param name="Reason">Why (e.g. retention expired, erasure request id).</param>
public sealed record ShredRequest(string StudyKey, string Actor, string Reason);
