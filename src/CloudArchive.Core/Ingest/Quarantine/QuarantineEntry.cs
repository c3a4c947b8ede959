namespace CloudArchive.Core.Ingest.Quarantine;

/// <summary>One quarantined upload as operators see it: id, reason document and age.</summary>
/// <param name="Id">The quarantine id.</param>
/// <param name="Record">The reason document, or null when it cannot be read (<see cref="Problem"/> says why).</param>
/// <param name="Age">Time since it was quarantined (from the document, else the blob's last write).</param>
/// <param name="Problem">Why the document could not be read, or null.</param>
public sealed record QuarantineEntry(string Id, QuarantineRecord? Record, TimeSpan? Age, string? Problem = null);
