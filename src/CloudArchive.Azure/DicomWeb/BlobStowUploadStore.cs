using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Core.DicomWeb.Stow;
using CloudArchive.Core.Ingest;

namespace CloudArchive.Azure.DicomWeb;

/// <summary>
/// <see cref="IStowUploadStore"/> over the <c>incoming</c> container: the same block upload as a gateway's
/// (<see cref="BlockUpload"/>, transactional MD5 per block), create-only so a STOW part can never replace another
/// upload, with one block in flight (two block buffers per stream).
/// </summary>
public sealed class BlobStowUploadStore : IStowUploadStore
{
    private readonly BlobContainerClient _incoming;
    private readonly StorageOptions _storage;

    /// <summary>Creates the store.</summary>
    public BlobStowUploadStore(BlobContainerClient incoming, StorageOptions storage)
    {
        _incoming = incoming ?? throw new ArgumentNullException(nameof(incoming));
        ArgumentNullException.ThrowIfNull(storage);

        // One block staged while the next fills: the source is a network request, which cannot outrun a sequential
        // block upload by much, and every concurrent STOW stream holds its blocks in memory (then the ingest its own).
        _storage = new StorageOptions
        {
            SingleUploadThresholdBytes = storage.SingleUploadThresholdBytes,
            BlockSizeBytes = storage.BlockSizeBytes,
            MaxUploadConcurrency = 1,
        };
    }

    /// <inheritdoc />
    public string Container => _incoming.Name;

    /// <inheritdoc />
    public Task WriteAsync(string blobName, Stream content, string uploadReference, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        ArgumentNullException.ThrowIfNull(content);
        return BlockUpload.UploadAsync(
            _incoming.GetBlockBlobClient(blobName),
            content,
            new BlockUploadOptions
            {
                ContentType = "application/dicom",
                Metadata = new Dictionary<string, string> { [UploadReference.MetadataName] = uploadReference },
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            },
            _storage,
            cancellationToken);
    }
}
