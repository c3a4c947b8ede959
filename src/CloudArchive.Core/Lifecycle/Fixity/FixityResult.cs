namespace CloudArchive.Core.Lifecycle.Fixity;

/// <summary>The result of verifying one archive blob.</summary>
/// <param name="BlobName">The archive blob (opaque keys only).</param>
/// <param name="Outcome">What was found.</param>
/// <param name="Problem">For <see cref="FixityOutcome.Failed"/>: a stable code such as <c>tampered</c>, <c>truncated</c>, <c>metadata-tampered</c>, <c>content-mac-differs</c>.</param>
public sealed record FixityResult(string BlobName, FixityOutcome Outcome, string? Problem = null);
