using Azure;

namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>One entry of a blob listing: a blob, or (with a delimiter) a virtual directory prefix.</summary>
public sealed class BlobItem
{
    /// <summary>The blob name, or the prefix when <see cref="IsPrefix"/>.</summary>
    public required string Name { get; init; }

    /// <summary>True for a <c>BlobPrefix</c> entry (only with a delimiter); the other properties are then empty.</summary>
    public bool IsPrefix { get; init; }

    /// <summary>The snapshot timestamp, for snapshot entries.</summary>
    public string? Snapshot { get; init; }

    /// <summary>The version id, when versioning is on.</summary>
    public string? VersionId { get; init; }

    /// <summary>Size in bytes.</summary>
    public long ContentLength { get; init; }

    /// <summary>The stored content type.</summary>
    public string? ContentType { get; init; }

    /// <summary>The ETag.</summary>
    public ETag? ETag { get; init; }

    /// <summary>Last modification time.</summary>
    public DateTimeOffset? LastModified { get; init; }

    /// <summary>Block, append or page.</summary>
    public BlobType BlobType { get; init; }

    /// <summary>The lease state (<c>available</c>, <c>leased</c>, <c>expired</c>, <c>breaking</c>, <c>broken</c>).</summary>
    public string? LeaseState { get; init; }

    /// <summary>Metadata (empty unless requested).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Index tags (empty unless requested).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}
