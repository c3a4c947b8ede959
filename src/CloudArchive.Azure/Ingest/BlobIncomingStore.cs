using Azure;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Core.Ingest;

namespace CloudArchive.Azure.Ingest;

/// <summary>
/// <see cref="IIncomingStore"/> over Blob Storage: reads pinned to the ETag (ranged for parsing, streamed for the
/// whole-upload pass), conditional delete. Deletes of concurrent ingests are coalesced into Blob Batch requests,
/// so share one instance per process.
/// </summary>
public sealed class BlobIncomingStore : IIncomingStore
{
    private readonly BlobStorageClient _blobs;
    private readonly BlobDeleteBatcher _deletes;

    /// <summary>Creates the store.</summary>
    public BlobIncomingStore(BlobStorageClient blobs)
    {
        _blobs = blobs ?? throw new ArgumentNullException(nameof(blobs));
        _deletes = new BlobDeleteBatcher(blobs);
    }

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
    public async Task<string?> GetETagAsync(string container, string blobName, CancellationToken cancellationToken)
    {
        try
        {
            var properties = await _blobs.GetContainer(container).GetBlob(blobName).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return properties.ETag.ToString();
        }
        catch (StorageRequestException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string container, string blobName, string etag, CancellationToken cancellationToken)
    {
        // Ingest is request-bound on the emulator: concurrent ingests' deletes share one Blob Batch request.
        var result = await _deletes.DeleteAsync(
            container,
            new BlobBatchDelete(blobName, new BlobRequestConditions { IfMatch = new ETag(etag) }, IncludeSnapshots: true),
            cancellationToken).ConfigureAwait(false);
        return result.Outcome switch
        {
            BlobBatchDeleteOutcome.Deleted => true,
            BlobBatchDeleteOutcome.NotFound or BlobBatchDeleteOutcome.PreconditionFailed => false,
            _ => throw result.Error!,
        };
    }
}
