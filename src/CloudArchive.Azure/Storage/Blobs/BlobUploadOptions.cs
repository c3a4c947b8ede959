namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>What to store with an uploaded (or created) blob and under which conditions.</summary>
public sealed class BlobUploadOptions
{
    /// <summary>The <c>Content-Type</c> stored with the blob (default <c>application/octet-stream</c>).</summary>
    public string? ContentType { get; init; }

    /// <summary>User metadata (<c>x-ms-meta-*</c>); names must be C# identifiers, values ASCII. Never put PHI here.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Blob index tags (at most 10). Never put PHI here.</summary>
    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    /// <summary>Conditions, e.g. <see cref="BlobRequestConditions.CreateOnly"/> or an <c>If-Match</c> ETag.</summary>
    public BlobRequestConditions? Conditions { get; init; }

    /// <summary>An immutability policy set atomically with the write (requires <see cref="StorageConnection.ImmutabilitySupported"/>).</summary>
    public BlobImmutabilityPolicy? ImmutabilityPolicy { get; init; }

    /// <summary>A legal hold set atomically with the write (requires <see cref="StorageConnection.ImmutabilitySupported"/>).</summary>
    public bool? LegalHold { get; init; }

    /// <summary>
    /// Metadata known only once the content has been read to its end (e.g. a MAC computed while streaming): called
    /// after the last byte was read and merged over <see cref="Metadata"/>, so it is committed atomically with the
    /// content (with the Put Blob of a short stream, or the Put Block List). Only for content that cannot seek.
    /// </summary>
    public Func<IReadOnlyDictionary<string, string>>? TrailingMetadata { get; init; }

    /// <summary>
    /// Sends a transactional <c>Content-MD5</c> with every Put Block and with a Put Blob sent from memory, so the
    /// service rejects (400 Md5Mismatch) a body that arrives different from what was sent.
    /// </summary>
    public bool TransactionalMd5 { get; init; }
}
