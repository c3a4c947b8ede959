using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using CloudArchive.Azure.Storage;
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

    /// <summary>Creates the store over the <c>audit</c> container.</summary>
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
            var properties = (await StorageCall.RunAsync("GetBlobProperties", () => _container.GetBlobClient(blobName).GetPropertiesAsync(cancellationToken: cancellationToken)).ConfigureAwait(false)).Value;
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
            await StorageCall.RunAsync("CreateAppendBlob", () => _container.GetAppendBlobClient(blobName).CreateAsync(
                new AppendBlobCreateOptions
                {
                    HttpHeaders = new BlobHttpHeaders { ContentType = "application/x-ndjson" },
                    Conditions = new AppendBlobRequestConditions { IfNoneMatch = ETag.All },
                },
                cancellationToken)).ConfigureAwait(false);
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
            using var block = new MemoryStream(data.ToArray(), writable: false);
            await StorageCall.RunAsync("AppendBlock", () => _container.GetAppendBlobClient(blobName).AppendBlockAsync(
                block,
                new AppendBlobAppendBlockOptions { Conditions = new AppendBlobRequestConditions { IfAppendPositionEqual = expectedLength } },
                cancellationToken)).ConfigureAwait(false);
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
            return await Storage.Blobs.DownloadContentStream.OpenAsync(() => _container.GetBlobClient(blobName)
                .DownloadStreamingAsync(new BlobDownloadOptions { Range = offset == 0 ? default : new HttpRange(offset) }, cancellationToken)).ConfigureAwait(false);
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
        await foreach (var item in StorageListing.ListAsync(_container, prefix, BlobTraits.None, cancellationToken).ConfigureAwait(false))
        {
            yield return new AuditBlobInfo(item.Name, item.Properties.ContentLength ?? 0);
        }
    }
}
