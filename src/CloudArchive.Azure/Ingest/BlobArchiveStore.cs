using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Core.Archive;

namespace CloudArchive.Azure.Ingest;

/// <summary><see cref="IArchiveStore"/> over the <c>archive</c> container.</summary>
public sealed class BlobArchiveStore : IArchiveStore
{

    private readonly BlobContainerClient _container;
    private readonly StorageOptions _storage;
    private readonly bool _transactionalMd5;

    /// <summary>Creates the store.</summary>
    /// <param name="container">The <c>archive</c> container.</param>
    /// <param name="storage">Upload sizes and concurrency.</param>
    /// <param name="transactionalMd5">
    /// Whether streamed archive writes carry a transactional <c>Content-MD5</c> per request (default; the ingest's
    /// verification relies on it, docs/ingest.md). Off only for measurements.
    /// </param>
    public BlobArchiveStore(BlobContainerClient container, StorageOptions storage, bool transactionalMd5 = true)
    {
        _container = container ?? throw new ArgumentNullException(nameof(container));
        _storage = storage ?? throw new ArgumentNullException(nameof(storage));
        _transactionalMd5 = transactionalMd5;
    }

    /// <summary>The container.</summary>
    public BlobContainerClient Container => _container;

    /// <inheritdoc />
    public async Task<ArchiveBlobInfo?> GetInfoAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var properties = await StorageCall.RunAsync("GetBlobProperties", () => _container.GetBlobClient(name).GetPropertiesAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
            return new ArchiveBlobInfo(properties.Value.ContentLength, ReadOnly(properties.Value.Metadata));
        }
        catch (StorageRequestException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<bool> TryCreateAsync(string name, Stream content, IReadOnlyDictionary<string, string> metadata, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        var result = await CreateAsync(name, content, new BlockUploadOptions { Metadata = metadata, Tags = tags, Conditions = WriteConditions.CreateOnly() }, cancellationToken).ConfigureAwait(false);
        return result.Created;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Streams without a spool: <see cref="BlockUpload"/> reads one block ahead and sends the trailing metadata with the
    /// Put Blob of a short content or with the Put Block List that commits a long one. Every body carries a transactional
    /// MD5. A short content's result carries the MD5 the service computed over what it stored.
    /// </remarks>
    public Task<ArchiveCreateResult> TryCreateStreamingAsync(string name, Stream content, IReadOnlyDictionary<string, string> metadata, Func<IReadOnlyDictionary<string, string>> trailingMetadata, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken) =>
        CreateAsync(
            name,
            content,
            new BlockUploadOptions { Metadata = metadata, TrailingMetadata = trailingMetadata, Tags = tags, Conditions = WriteConditions.CreateOnly(), TransactionalMd5 = _transactionalMd5 },
            cancellationToken);

    /// <inheritdoc />
    public async Task<ArchiveRangeRead?> OpenRangeAsync(string name, long offset, long length, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        return await OpenAsync(name, new HttpRange(offset, length), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<ArchiveRangeRead?> OpenReadWithInfoAsync(string name, CancellationToken cancellationToken) =>
        OpenAsync(name, default, cancellationToken);

    /// <inheritdoc />
    public async Task UpsertAsync(string name, Stream content, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken) =>
        await BlockUpload.UploadAsync(_container.GetBlockBlobClient(name), content, new BlockUploadOptions { Metadata = metadata, TransactionalMd5 = _transactionalMd5 }, _storage, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task RemoveMetadataAsync(string name, IReadOnlyCollection<string> metadataNames, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metadataNames);
        var blob = _container.GetBlobClient(name);
        BlobProperties properties;
        try
        {
            properties = (await StorageCall.RunAsync("GetBlobProperties", () => blob.GetPropertiesAsync(cancellationToken: cancellationToken)).ConfigureAwait(false)).Value;
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
        await StorageCall.RunAsync("SetBlobMetadata", () => blob.SetMetadataAsync(kept, new BlobRequestConditions { IfMatch = properties.ETag }, cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteIfExistsAsync(string name, CancellationToken cancellationToken) =>
        (await StorageCall.RunAsync("DeleteBlob", () => _container.GetBlobClient(name).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken)).ConfigureAwait(false)).Value;

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken) =>
        await DownloadContentStream.OpenAsync(() => _container.GetBlobClient(name).DownloadStreamingAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);

    private async Task<ArchiveCreateResult> CreateAsync(string name, Stream content, BlockUploadOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        try
        {
            var receipt = await BlockUpload.UploadAsync(_container.GetBlockBlobClient(name), content, options, _storage, cancellationToken).ConfigureAwait(false);
            return new ArchiveCreateResult(true, receipt.ContentMd5);
        }
        catch (StorageRequestException ex) when (ex.IsConflict || ex.IsPreconditionFailed)
        {
            return new ArchiveCreateResult(false);
        }
    }

    private async Task<ArchiveRangeRead?> OpenAsync(string name, HttpRange range, CancellationToken cancellationToken)
    {
        try
        {
            var download = await DownloadContentStream.OpenAsync(() => _container.GetBlobClient(name).DownloadStreamingAsync(new BlobDownloadOptions { Range = range }, cancellationToken)).ConfigureAwait(false);
            return new ArchiveRangeRead(new ArchiveBlobInfo(BlobRangeInfo.TotalLength(download.Details), ReadOnly(download.Details.Metadata)), download);
        }
        catch (StorageRequestException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    private static IReadOnlyDictionary<string, string> ReadOnly(IDictionary<string, string> metadata) =>
        new Dictionary<string, string>(metadata, StringComparer.Ordinal);
}
