using System.Runtime.CompilerServices;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Core.Research.Publication;

namespace CloudArchive.Azure.Research;

/// <summary><see cref="IResearchStore"/> over the <c>research</c> container.</summary>
public sealed class BlobResearchStore : IResearchStore
{
    private readonly BlobContainerClient _container;

    /// <summary>Creates the store.</summary>
    public BlobResearchStore(BlobContainerClient container) => _container = container ?? throw new ArgumentNullException(nameof(container));

    /// <inheritdoc />
    public async Task PutAsync(string name, Stream content, string contentType, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        await _container.GetBlob(name).UploadAsync(content, new BlobUploadOptions { ContentType = contentType, Tags = tags }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ResearchBlob?> OpenReadAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        try
        {
            var download = await _container.GetBlob(name).DownloadAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return new ResearchBlob(download.Content, download.ContentLength);
        }
        catch (StorageRequestException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ResearchBlobInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in _container.ListBlobsAsync(new BlobListOptions { Prefix = prefix }, cancellationToken).ConfigureAwait(false))
        {
            if (!item.IsPrefix)
            {
                yield return new ResearchBlobInfo(item.Name, item.ContentLength);
            }
        }
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return await _container.GetBlob(name).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
