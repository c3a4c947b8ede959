using Azure;

namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>The state of a blob after a successful write.</summary>
/// <param name="ETag">The new ETag (use it for <c>If-Match</c> on the next write).</param>
/// <param name="LastModified">The service's last-modified time.</param>
/// <param name="VersionId">The version created, when versioning is enabled on the account.</param>
/// <param name="ContentMd5">
/// Base64 MD5 of the whole stored content as the service computed it, for a write that sent the content in one request
/// (Put Blob); null for a staged upload, whose commit response hashes the block list rather than the content.
/// </param>
public sealed record BlobWriteResult(ETag ETag, DateTimeOffset? LastModified, string? VersionId, string? ContentMd5 = null);
