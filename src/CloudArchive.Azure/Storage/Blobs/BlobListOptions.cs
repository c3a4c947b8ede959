namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>Which blobs a listing returns and how much per page.</summary>
public sealed class BlobListOptions
{
    /// <summary>Only names starting with this.</summary>
    public string? Prefix { get; init; }

    /// <summary>Group names by this delimiter (usually <c>/</c>): deeper names come back as prefixes.</summary>
    public string? Delimiter { get; init; }

    /// <summary>Items per page (<c>maxresults</c>, at most 5000); null = service default (5000).</summary>
    public int? PageSize { get; init; }

    /// <summary>Return each blob's metadata.</summary>
    public bool IncludeMetadata { get; init; }

    /// <summary>Return each blob's index tags.</summary>
    public bool IncludeTags { get; init; }

    /// <summary>Also return snapshots.</summary>
    public bool IncludeSnapshots { get; init; }
}
