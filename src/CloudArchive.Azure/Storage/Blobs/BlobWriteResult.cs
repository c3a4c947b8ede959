using Azure;

namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>The state of a blob after a successful write.</summary>
/// <param name="ETag">The new ETag (use it for <c>If-Match</c> on the next write).</param>
/// <param name="LastModified">The service's last-modified time.</param>
/// <param name="VersionId">The version created, when versioning is enabled on the account.</param>
public sealed record BlobWriteResult(ETag ETag, DateTimeOffset? LastModified, string? VersionId);
