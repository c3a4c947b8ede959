using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Core.Ingest;

namespace CloudArchive.Azure.Ingest;

/// <summary><see cref="IArchiveStore"/> over the <c>archive</c> container.</summary>
public sealed class BlobArchiveStore : IArchiveStore
{
    private readonly BlobContainerClient _container;
    private readonly bool _transactionalMd5;

    /// <summary>Creates the store.</summary>
    /// <param name="container">The <c>archive</c> container.</param>
    /// <param name="transactionalMd5">
    /// Whether streamed archive writes carry a transactional <c>Content-MD5</c> per request (default; the ingest's
    /// verification relies on it, docs/ingest.md). Off only for measurements.
    /// </param>
    public BlobArchiveStore(BlobContainerClient container, bool transactionalMd5 = true)
    {
        _container = container ?? throw new ArgumentNullException(nameof(container));
        _transactionalMd5 = transactionalMd5;
    }

    /// <summary>The container.</summary>
    public BlobContainerClient Container => _container;

    /// <inheritdoc />
    public async Task<ArchiveBlobInfo?> GetInfoAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var properties = await _container.GetBlob(name).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return new ArchiveBlobInfo(properties.ContentLength, properties.Metadata);
        }
        catch (StorageRequestException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<bool> TryCreateAsync(string name, Stream content, IReadOnlyDictionary<string, string> metadata, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        try
        {
            await _container.GetBlob(name).UploadAsync(
                content,
                new BlobUploadOptions { ContentType = "application/octet-stream", Metadata = metadata, Tags = tags, Conditions = BlobRequestConditions.CreateOnly },
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StorageRequestException ex) when (ex.IsConflict || ex.IsPreconditionFailed)
        {
            return false;
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Streams without a spool: the client reads one block ahead and sends the trailing metadata with the Put Blob of a
    /// short content or with the Put Block List that commits a long one. Every body carries a transactional MD5. A short
    /// content's result carries the MD5 the service computed over what it stored.
    /// </remarks>
    public async Task<ArchiveCreateResult> TryCreateStreamingAsync(string name, Stream content, IReadOnlyDictionary<string, string> metadata, Func<IReadOnlyDictionary<string, string>> trailingMetadata, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        try
        {
            var written = await _container.GetBlob(name).UploadAsync(
                content,
                new BlobUploadOptions
                {
                    ContentType = "application/octet-stream",
                    Metadata = metadata,
                    TrailingMetadata = trailingMetadata,
                    Tags = tags,
                    Conditions = BlobRequestConditions.CreateOnly,
                    TransactionalMd5 = _transactionalMd5,
                },
                cancellationToken).ConfigureAwait(false);
            return new ArchiveCreateResult(true, written.ContentMd5);
        }
        catch (StorageRequestException ex) when (ex.IsConflict || ex.IsPreconditionFailed)
        {
            return new ArchiveCreateResult(false);
        }
    }

    /// <inheritdoc />
    public async Task<ArchiveRangeRead?> OpenRangeAsync(string name, long offset, long length, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        try
        {
            var download = await _container.GetBlob(name).DownloadAsync(new BlobRange(offset, length), cancellationToken: cancellationToken).ConfigureAwait(false);
            return new ArchiveRangeRead(new ArchiveBlobInfo(download.Properties.ContentLength, download.Properties.Metadata), new OwningStream(download.Content, download));
        }
        catch (StorageRequestException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<ArchiveRangeRead?> OpenReadWithInfoAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var download = await _container.GetBlob(name).DownloadAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return new ArchiveRangeRead(new ArchiveBlobInfo(download.Properties.ContentLength, download.Properties.Metadata), new OwningStream(download.Content, download));
        }
        catch (StorageRequestException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task UpsertAsync(string name, Stream content, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken) =>
        await _container.GetBlob(name).UploadAsync(content, new BlobUploadOptions { ContentType = "application/octet-stream", Metadata = metadata }, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task RemoveMetadataAsync(string name, IReadOnlyCollection<string> metadataNames, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metadataNames);
        var blob = _container.GetBlob(name);
        BlobProperties properties;
        try
        {
            properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (StorageRequestException ex) when (ex.IsNotFound)
        {
            return;
        }

        if (!metadataNames.Any(properties.Metadata.ContainsKey))
        {
            return;
        }

        var kept = properties.Metadata.Where(entry => !metadataNames.Contains(entry.Key)).ToDictionary(entry => entry.Key, entry => entry.Value, StringComparer.Ordinal);

        // If-Match: a concurrent change fails this (412) and the caller's retry reads the blob again.
        await blob.SetMetadataAsync(kept, new BlobRequestConditions { IfMatch = properties.ETag }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<bool> DeleteIfExistsAsync(string name, CancellationToken cancellationToken) =>
        _container.GetBlob(name).DeleteIfExistsAsync(cancellationToken: cancellationToken);

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken)
    {
        var download = await _container.GetBlob(name).DownloadAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return new OwningStream(download.Content, download);
    }
}
