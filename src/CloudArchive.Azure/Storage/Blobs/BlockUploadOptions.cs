using Azure.Storage.Blobs.Models;

namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>What <see cref="BlockUpload"/> writes besides the content, and under which condition.</summary>
public sealed class BlockUploadOptions
{
    /// <summary>The blob's content type.</summary>
    public string ContentType { get; init; } = "application/octet-stream";

    /// <summary>Metadata known before the content is read.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>
    /// Metadata known only once the content has been read to its end (e.g. a MAC computed while streaming). Called once,
    /// after the last byte was read and before the request that commits the blob, so the entries are stored atomically
    /// with the content.
    /// </summary>
    public Func<IReadOnlyDictionary<string, string>>? TrailingMetadata { get; init; }

    /// <summary>Blob index tags.</summary>
    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    /// <summary>Conditions of the committing request, e.g. <c>IfNoneMatch = ETag.All</c> for a create-only write.</summary>
    public BlobRequestConditions? Conditions { get; init; }

    /// <summary>Whether every request body carries a transactional <c>Content-MD5</c> the service checks. Default true.</summary>
    public bool TransactionalMd5 { get; init; } = true;
}
