using CloudArchive.Core.Ingest;

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
    /// <remarks>
    /// This default spools the content to a temporary file (deleted on close) and then calls <see cref="TryCreateAsync"/>;
    /// stores that send metadata with the commit of a streamed upload override it to avoid the spool.
    /// </remarks>
    async Task<ArchiveCreateResult> TryCreateStreamingAsync(string name, Stream content, IReadOnlyDictionary<string, string> metadata, Func<IReadOnlyDictionary<string, string>> trailingMetadata, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(trailingMetadata);
        var path = Path.Combine(Path.GetTempPath(), "cloudarchive-archive-" + Guid.NewGuid().ToString("N") + ".tmp");
        var spool = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await using (spool.ConfigureAwait(false))
        {
            await content.CopyToAsync(spool, cancellationToken).ConfigureAwait(false);
            var merged = new Dictionary<string, string>(metadata, StringComparer.Ordinal);
            foreach (var (key, value) in trailingMetadata())
            {
                merged[key] = value;
            }

            spool.Position = 0;
            return new ArchiveCreateResult(await TryCreateAsync(name, spool, merged, tags, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>
    /// Opens a whole blob for sequential reading together with its length and metadata, or returns null when it does not
    /// exist (readers that decrypt need both; one request instead of a lookup and a read).
    /// </summary>
    /// <remarks>This default makes two requests; stores override it with one read.</remarks>
    async Task<ArchiveRangeRead?> OpenReadWithInfoAsync(string name, CancellationToken cancellationToken)
    {
        var info = await GetInfoAsync(name, cancellationToken).ConfigureAwait(false);
        return info is null ? null : new ArchiveRangeRead(info, await OpenReadAsync(name, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Opens bytes [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="length"/>) of a blob together
    /// with the blob's length and metadata, or returns null when it does not exist.
    /// </summary>
    /// <remarks>This default makes two requests and skips to the offset; stores override it with one ranged read.</remarks>
    async Task<ArchiveRangeRead?> OpenRangeAsync(string name, long offset, long length, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var info = await GetInfoAsync(name, cancellationToken).ConfigureAwait(false);
        if (info is null)
        {
            return null;
        }

        var stream = await OpenReadAsync(name, cancellationToken).ConfigureAwait(false);
        try
        {
            var skip = new byte[81920];
            for (var left = offset; left > 0;)
            {
                var read = await stream.ReadAsync(skip.AsMemory(0, (int)Math.Min(skip.Length, left)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                left -= read;
            }

            return new ArchiveRangeRead(info, new LimitedReadStream(stream, length));
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
