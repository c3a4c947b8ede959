namespace CloudArchive.Core.Audit;

/// <summary>A log blob found by listing.</summary>
/// <param name="Name">The blob name.</param>
/// <param name="Length">Its length in bytes.</param>
public sealed record AuditBlobInfo(string Name, long Length);
