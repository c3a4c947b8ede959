using System.Runtime.CompilerServices;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Research.Publication;

namespace CloudArchive.Azure.Research;

/// <summary><see cref="IResearchStore"/> over the <c>research</c> container.</summary>
public sealed class BlobResearchStore : IResearchStore
{
    private readonly BlobContainerClient _container;
    private readonly StorageOptions _storage;

    /// <summary>Creates the store.</summary>
    public BlobResearchStore(BlobContainerClient container, StorageOptions storage)
    {
        _container = container ?? throw new ArgumentNullException(nameof(container));
        _storage = storage ?? throw new ArgumentNullException(nameof(storage));
    }

    /// <inheritdoc />
    public async Task PutAsync(string name, Stream content, string contentType, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        await BlockUpload.UploadAsync(_container.GetBlockBlobClient(name), content, new BlockUploadOptions { ContentType = contentType, Tags = tags }, _storage, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ResearchBlob?> OpenReadAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        try
        {
            var download = await DownloadContentStream.OpenAsync(() => _container.GetBlobClient(name).DownloadStreamingAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
            return new ResearchBlob(download, download.Length);
        }
        catch (StorageRequestException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ResearchBlobInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in StorageListing.ListAsync(_container, prefix, BlobTraits.None, cancellationToken).ConfigureAwait(false))
        {
            yield return new ResearchBlobInfo(item.Name, item.Properties.ContentLength ?? 0);
        }
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return (await StorageCall.RunAsync("DeleteBlob", () => _container.GetBlobClient(name).DeleteIfExistsAsync(cancellationToken: cancellationToken)).ConfigureAwait(false)).Value;
    }
}
