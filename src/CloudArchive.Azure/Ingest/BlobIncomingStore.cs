using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Core.Ingest;

namespace CloudArchive.Azure.Ingest;

/// <summary><see cref="IIncomingStore"/> over the upload containers (<c>incoming</c>) of the account.</summary>
public sealed class BlobIncomingStore : IIncomingStore, IIncomingWriter
{
    private readonly BlobServiceClient _blobs;
    private readonly int _readChunkBytes;
    private readonly StorageOptions _storage;

    /// <summary>Creates the store.</summary>
    /// <param name="blobs">The account's blob service (events name the container).</param>
    /// <param name="storage">The read chunk size.</param>
    public BlobIncomingStore(BlobServiceClient blobs, StorageOptions storage)
    {
        _blobs = blobs ?? throw new ArgumentNullException(nameof(blobs));
        ArgumentNullException.ThrowIfNull(storage);
        _readChunkBytes = storage.ReadChunkBytes;
        _storage = storage;
    }

    /// <inheritdoc />
    public async Task<bool> TryCreateAsync(string container, string blobName, Stream content, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        try
        {
            await BlockUpload.UploadAsync(
                _blobs.GetBlobContainerClient(container).GetBlockBlobClient(blobName),
                new NonDisposingStream(content),
                new BlockUploadOptions { Metadata = metadata, Conditions = WriteConditions.CreateOnly() },
                _storage,
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StorageRequestException ex) when (ex.IsConflict || ex.IsPreconditionFailed)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async Task<IncomingUpload?> OpenAsync(string container, string blobName, CancellationToken cancellationToken)
    {
        try
        {
            // The first chunk comes with the properties (no HEAD): a typical instance is then read with one request, and
            // the encryption pass streams the rest of a large one with a single GET instead of chunk-sized ranges.
            var stream = await PinnedBlobReadStream.OpenAsync(Blob(container, blobName), _readChunkBytes, cancellationToken).ConfigureAwait(false);
            stream.Metadata.TryGetValue(UploadReference.MetadataName, out var reference);
            return new IncomingUpload(stream, stream.Length, stream.ETag.ToString(), _ => Task.FromResult(stream.OpenSequential()), reference);
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
            var properties = await StorageCall.RunAsync("GetBlobProperties", () => Blob(container, blobName).GetPropertiesAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
            return properties.Value.ETag.ToString();
        }
        catch (StorageRequestException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// One conditional DELETE per upload; concurrent ingests send theirs in parallel. Blob Batch (one request for many
    /// deletes) was measured against this on the 1,000-instance ingest and not kept: docs/storage.md.
    /// </remarks>
    public async Task<bool> DeleteAsync(string container, string blobName, string etag, CancellationToken cancellationToken)
    {
        try
        {
            await StorageCall.RunAsync("DeleteBlob", () => Blob(container, blobName).DeleteAsync(
                DeleteSnapshotsOption.IncludeSnapshots,
                new BlobRequestConditions { IfMatch = new ETag(etag) },
                cancellationToken)).ConfigureAwait(false);
            return true;
        }
        catch (StorageRequestException ex) when (ex.IsNotFound || ex.IsPreconditionFailed)
        {
            // Already gone, or replaced by a newer upload that gets its own event.
            return false;
        }
    }

    private BlobClient Blob(string container, string blobName) => _blobs.GetBlobContainerClient(container).GetBlobClient(blobName);
}
