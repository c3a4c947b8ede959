using Azure;
using Azure.Storage.Blobs.Models;

namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>The write conditions the archive relies on, defined once.</summary>
public static class WriteConditions
{
    /// <summary>
    /// Create-only (<c>If-None-Match: *</c>): the write fails with 409/412 when the blob exists, so nothing is ever
    /// overwritten. A new object each time: the SDK's condition objects are mutable.
    /// </summary>
    public static BlobRequestConditions CreateOnly() => new() { IfNoneMatch = ETag.All };
}
