namespace CloudArchive.Core.Ingest.Quarantine;

/// <summary>A stored reason document with the version that was read (for a conditional replace).</summary>
/// <param name="Json">The document's UTF-8 JSON.</param>
/// <param name="ETag">The version read.</param>
/// <param name="LastModified">When it was last written.</param>
public sealed record QuarantineReasonBlob(ReadOnlyMemory<byte> Json, string ETag, DateTimeOffset? LastModified);
