using Azure;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Core.Ingest;

namespace CloudArchive.Azure.Ingest;

/// <summary><see cref="IIncomingStore"/> over Blob Storage: reads pinned to the ETag (ranged for parsing, streamed for the whole-upload pass), conditional delete.</summary>
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
            // The first chunk comes with the properties (no HEAD): a typical instance is then read with one request, and
            // the encryption pass streams the rest of a large one with a single GET instead of chunk-sized ranges.
            var stream = await _blobs.GetContainer(container).GetBlob(blobName).OpenReadPrefetchedAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return new IncomingUpload(stream, stream.Length, stream.ETag.ToString(), _ => Task.FromResult(stream.OpenSequential()));
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
