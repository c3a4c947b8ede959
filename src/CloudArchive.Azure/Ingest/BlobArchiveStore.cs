using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Core.Ingest;

namespace CloudArchive.Azure.Ingest;

/// <summary><see cref="IArchiveStore"/> over the <c>archive</c> container.</summary>
public sealed class BlobArchiveStore : IArchiveStore
{
    private readonly BlobContainerClient _container;

    /// <summary>Creates the store.</summary>
    public BlobArchiveStore(BlobContainerClient container) => _container = container ?? throw new ArgumentNullException(nameof(container));

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
    public async Task UpsertAsync(string name, Stream content, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken) =>
        await _container.GetBlob(name).UploadAsync(content, new BlobUploadOptions { ContentType = "application/octet-stream", Metadata = metadata }, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken)
    {
        var download = await _container.GetBlob(name).DownloadAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return new OwningStream(download.Content, download);
    }
}
