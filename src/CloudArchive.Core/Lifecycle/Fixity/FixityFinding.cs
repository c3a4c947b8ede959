namespace CloudArchive.Core.Lifecycle.Fixity;

/// <summary>
/// An open <c>fixity-failed</c> finding: an archive blob that failed verification and has not verified since. It stays
/// until a later sweep finds the blob intact again (restored) or gone (deleted), and <c>status</c> shows it meanwhile.
/// </summary>
/// <param name="BlobName">The archive blob (opaque keys only).</param>
/// <param name="Problem">The problem code of the failure.</param>
/// <param name="DetectedAt">When the failure was first found.</param>
/// <param name="Cycle">The sweep cycle that found it.</param>
public sealed record FixityFinding(string BlobName, string Problem, DateTimeOffset DetectedAt, int Cycle);
