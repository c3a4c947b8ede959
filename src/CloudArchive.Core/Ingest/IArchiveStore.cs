namespace CloudArchive.Core.Ingest;

/// <summary>
/// Storage port for the <c>archive</c> container. Names are produced by <see cref="ArchiveNames"/> and contain only
/// opaque keys. Transient failures must surface as exceptions (the event is then re-delivered).
/// </summary>
public interface IArchiveStore
{
    /// <summary>Returns the blob's length and metadata, or null when it does not exist.</summary>
    Task<ArchiveBlobInfo?> GetInfoAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a new blob only if none of that name exists (<c>If-None-Match: *</c>); returns false, writing nothing,
    /// when one exists. An existing blob is never overwritten.
    /// </summary>
    Task<bool> TryCreateAsync(string name, Stream content, IReadOnlyDictionary<string, string> metadata, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken);

    /// <summary>Creates or replaces a small blob (index records).</summary>
    Task UpsertAsync(string name, Stream content, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken);

    /// <summary>Opens a blob for sequential reading.</summary>
    Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken);
}
