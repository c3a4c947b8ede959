namespace CloudArchive.Core.Archive;

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

    /// <summary>
    /// Removes the named entries from a blob's metadata, keeping the rest (a conditional read-modify-write); does
    /// nothing when the blob or the entries do not exist.
    /// </summary>
    Task RemoveMetadataAsync(string name, IReadOnlyCollection<string> metadataNames, CancellationToken cancellationToken);

    /// <summary>Deletes a blob if it exists; returns whether it did.</summary>
    Task<bool> DeleteIfExistsAsync(string name, CancellationToken cancellationToken);

    /// <summary>Opens a blob for sequential reading.</summary>
    Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Like <see cref="TryCreateAsync"/>, for content whose remaining metadata is known only once it has been read:
    /// <paramref name="trailingMetadata"/> is called after <paramref name="content"/> has been read to its end, and
    /// its entries are stored with the blob, atomically with the content (e.g. a MAC computed while streaming).
    /// Returns whether the blob was created, and the service's hash of the committed content when it has one.
    /// </summary>
    Task<ArchiveCreateResult> TryCreateStreamingAsync(string name, Stream content, IReadOnlyDictionary<string, string> metadata, Func<IReadOnlyDictionary<string, string>> trailingMetadata, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a whole blob for sequential reading together with its length and metadata, or returns null when it does not
    /// exist (readers that decrypt need both; one request instead of a lookup and a read).
    /// </summary>
    Task<ArchiveRangeRead?> OpenReadWithInfoAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Opens bytes [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="length"/>) of a blob together
    /// with the blob's length and metadata, or returns null when it does not exist.
    /// </summary>
    Task<ArchiveRangeRead?> OpenRangeAsync(string name, long offset, long length, CancellationToken cancellationToken);
}
