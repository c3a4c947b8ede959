using Azure;

namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>The outcome of an Append Block.</summary>
/// <param name="ETag">The new ETag.</param>
/// <param name="LastModified">The service's last-modified time.</param>
/// <param name="AppendOffset">Where the block landed (the blob length before it).</param>
/// <param name="CommittedBlockCount">Blocks in the blob after this one (the service allows 50,000).</param>
public sealed record BlobAppendResult(ETag ETag, DateTimeOffset? LastModified, long AppendOffset, int CommittedBlockCount);
