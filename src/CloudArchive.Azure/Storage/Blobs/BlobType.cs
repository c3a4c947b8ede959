namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>The kind of blob (<c>x-ms-blob-type</c>).</summary>
public enum BlobType
{
    /// <summary>Not reported or not recognised.</summary>
    Unknown = 0,

    /// <summary>A block blob (Put Blob, or Put Block + Put Block List).</summary>
    Block,

    /// <summary>An append blob (Append Block only adds at the end).</summary>
    Append,

    /// <summary>A page blob (not written by this client).</summary>
    Page,
}
