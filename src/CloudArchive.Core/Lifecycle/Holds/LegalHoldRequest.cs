namespace CloudArchive.Core.Lifecycle.Holds;

/// <summary>A request to place a hold.</summary>
/// <param name="Scope">Study or patient.</param>
/// <param name="Target">The opaque study key or patient pseudonym.</param>
/// <param name="Case">The legal case, a short code.</param>
/// <param name="Reason">Why (kept in the hold document only).</param>
public sealed record LegalHoldRequest(LegalHoldScope Scope, string Target, string Case, string Reason);
