using Azure;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Core.Ingest;

namespace CloudArchive.Azure.Ingest;

/// <summary><see cref="IIncomingStore"/> over Blob Storage: ranged reads pinned to the ETag, conditional delete.</summary>
public sealed class BlobIncomingStore : IIncomingStore
{
    private readonly BlobStorageClient _blobs;

    /// <summary>Creates the store.</summary>
    public BlobIncomingStore(BlobStorageClient blobs) => _blobs = blobs ?? throw new ArgumentNullException(nameof(blobs));

    /// <inheritdoc />
    public async Task<IncomingUpload?> OpenAsync(string container, string blobName, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await _blobs.GetContainer(container).GetBlob(blobName).OpenReadAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return new IncomingUpload(stream, stream.Length, stream.ETag.ToString());
        }
        catch (StorageRequestException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string container, string blobName, string etag, CancellationToken cancellationToken)
    {
        try
        {
            await _blobs.GetContainer(container).GetBlob(blobName)
                .DeleteAsync(new BlobDeleteOptions { IncludeSnapshots = true, Conditions = new BlobRequestConditions { IfMatch = new ETag(etag) } }, cancellationToken)
                .ConfigureAwait(false);
            return true;
        }
        catch (StorageRequestException ex) when (ex.IsNotFound || ex.IsPreconditionFailed)
        {
            return false;
        }
    }
}
