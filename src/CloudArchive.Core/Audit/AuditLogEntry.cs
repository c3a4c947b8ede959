namespace CloudArchive.Core.Audit;

/// <summary>A record found by a query, with where it is.</summary>
/// <param name="BlobName">The blob.</param>
/// <param name="LineNumber">1-based line number.</param>
/// <param name="Record">The record.</param>
public sealed record AuditLogEntry(string BlobName, int LineNumber, AuditRecord Record);
