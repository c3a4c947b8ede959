using System.Runtime.CompilerServices;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Core.Audit;

namespace CloudArchive.Azure.Audit;

/// <summary>
/// <see cref="IAuditLogStore"/> on Azure append blobs in the <c>audit</c> container. Appends use
/// <c>x-ms-blob-condition-appendpos</c>, so a writer never lands a line after one it has not chained to:
/// a stale position is answered 412 and reported as <see cref="AuditAppendOutcome.PositionMismatch"/>.
/// Works under an immutability policy with <c>allowProtectedAppendWritesAll</c> (docs/architecture.md §6): the
/// store only creates and appends, never overwrites or deletes.
/// </summary>
public sealed class BlobAuditLogStore : IAuditLogStore
{
    private const int RangeNotSatisfiable = 416;

    private readonly BlobContainerClient _container;

    /// <summary>Creates the store over the audit container (which must exist).</summary>
    public BlobAuditLogStore(BlobContainerClient container)
    {
        ArgumentNullException.ThrowIfNull(container);
        _container = container;
    }

    /// <inheritdoc />
    public async Task<long?> GetLengthAsync(string blobName, CancellationToken cancellationToken)
    {
        try
        {
            var properties = await _container.GetBlob(blobName).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (properties.BlobType != BlobType.Append)
            {
                throw new AuditStoreException(blobName, $"is a {properties.BlobType} blob, not an append blob; it was not written by the audit log");
            }

            return properties.ContentLength;
        }
        catch (StorageRequestException ex) when (ex.IsNotFound)
        {
            return null;
        }
        catch (StorageRequestException ex)
        {
            throw new AuditStoreException(blobName, "reading its properties failed", innerException: ex);
        }
    }

    /// <inheritdoc />
    public async Task<bool> CreateIfNotExistsAsync(string blobName, CancellationToken cancellationToken)
    {
        try
        {
            await _container.GetBlob(blobName).CreateAppendBlobAsync(
                new BlobUploadOptions { ContentType = "application/x-ndjson", Conditions = BlobRequestConditions.CreateOnly },
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StorageRequestException ex) when (ex.IsConflict || ex.IsPreconditionFailed)
        {
            // Created meanwhile by another instance (or by an earlier attempt of this request): fine.
            return false;
        }
        catch (StorageRequestException ex)
        {
            throw new AuditStoreException(blobName, "creating the append blob failed", innerException: ex);
        }
    }

    /// <inheritdoc />
    public async Task<AuditAppendOutcome> AppendAsync(string blobName, ReadOnlyMemory<byte> data, long expectedLength, CancellationToken cancellationToken)
    {
        try
        {
            await _container.GetBlob(blobName).AppendBlockAsync(data, expectedLength, cancellationToken: cancellationToken).ConfigureAwait(false);
            return AuditAppendOutcome.Appended;
        }
        catch (StorageRequestException ex) when (ex.IsPreconditionFailed)
        {
            return AuditAppendOutcome.PositionMismatch;
        }
        catch (StorageRequestException ex)
        {
            throw new AuditStoreException(blobName, "appending failed", ex.IsNotFound, ex);
        }
    }

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(string blobName, long offset, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        try
        {
            var download = await _container.GetBlob(blobName)
                .DownloadAsync(offset == 0 ? null : new BlobRange(offset), cancellationToken: cancellationToken).ConfigureAwait(false);
            return download.Content;
        }
        catch (StorageRequestException ex) when (ex.Status == RangeNotSatisfiable)
        {
            // The offset is at (or past) the end, or the blob is empty: nothing to read.
            return new MemoryStream([], writable: false);
        }
        catch (StorageRequestException ex)
        {
            throw new AuditStoreException(blobName, "reading failed", ex.IsNotFound, ex);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<AuditBlobInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in _container.ListBlobsAsync(new BlobListOptions { Prefix = prefix }, cancellationToken).ConfigureAwait(false))
        {
            if (!item.IsPrefix && item.Snapshot is null)
            {
                yield return new AuditBlobInfo(item.Name, item.ContentLength);
            }
        }
    }
}
