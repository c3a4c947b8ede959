using Azure;

namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>A blob's system properties and metadata (Get Blob Properties, or the headers of a download).</summary>
public sealed class BlobProperties
{
    /// <summary>The full blob size in bytes (for a ranged download: the whole blob, not the range).</summary>
    public long ContentLength { get; init; }

    /// <summary>The stored content type.</summary>
    public string? ContentType { get; init; }

    /// <summary>The stored Content-MD5, when the service has one.</summary>
    public string? ContentMD5 { get; init; }

    /// <summary>The ETag (use it for <c>If-Match</c>).</summary>
    public ETag ETag { get; init; }

    /// <summary>Last modification time.</summary>
    public DateTimeOffset? LastModified { get; init; }

    /// <summary>Creation time.</summary>
    public DateTimeOffset? CreatedOn { get; init; }

    /// <summary>Block, append or page.</summary>
    public BlobType BlobType { get; init; }

    /// <summary>User metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>How many index tags the blob has.</summary>
    public int TagCount { get; init; }

    /// <summary>The lease state (<c>available</c>, <c>leased</c>, <c>expired</c>, <c>breaking</c>, <c>broken</c>).</summary>
    public string? LeaseState { get; init; }

    /// <summary>The lease status (<c>locked</c>/<c>unlocked</c>).</summary>
    public string? LeaseStatus { get; init; }

    /// <summary>The current version id, when versioning is on.</summary>
    public string? VersionId { get; init; }

    /// <summary>For append blobs: the number of committed blocks.</summary>
    public int? CommittedBlockCount { get; init; }

    /// <summary>The immutability policy in force, if any.</summary>
    public BlobImmutabilityPolicy? ImmutabilityPolicy { get; init; }

    /// <summary>Whether a legal hold is set.</summary>
    public bool LegalHold { get; init; }
}
