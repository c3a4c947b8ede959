using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CloudArchive.Azure.Storage;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Audit.Seals;

namespace CloudArchive.Azure.Audit;

/// <summary>
/// <see cref="IAuditSealStore"/> on block blobs in the <c>seals</c> container, written create-only
/// (<c>If-None-Match: *</c>), so it works under the container's time-based immutability policy and never replaces a seal.
/// </summary>
public sealed class BlobAuditSealStore : IAuditSealStore
{
    private readonly BlobContainerClient _container;

    /// <summary>Creates the store over the seals container.</summary>
    public BlobAuditSealStore(BlobContainerClient container)
    {
        ArgumentNullException.ThrowIfNull(container);
        _container = container;
    }

    /// <inheritdoc />
    public async Task<byte[]?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var content = await StorageCall.RunAsync("DownloadSeal", () => _container.GetBlobClient(name).DownloadContentAsync(cancellationToken)).ConfigureAwait(false);
            return content.Value.Content.ToArray();
        }
        catch (StorageRequestException ex) when (ex.IsNotFound)
        {
            return null;
        }
        catch (StorageRequestException ex)
        {
            throw new AuditStoreException(name, "reading the seal failed", innerException: ex);
        }
    }

    /// <inheritdoc />
    public async Task<bool> TryCreateAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        try
        {
            await StorageCall.RunAsync("UploadSeal", () => _container.GetBlobClient(name).UploadAsync(
                BinaryData.FromBytes(content),
                new BlobUploadOptions
                {
                    HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                },
                cancellationToken)).ConfigureAwait(false);
            return true;
        }
        catch (StorageRequestException ex) when (ex.IsConflict || ex.IsPreconditionFailed)
        {
            return false;
        }
        catch (StorageRequestException ex)
        {
            throw new AuditStoreException(name, "writing the seal failed", innerException: ex);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in StorageListing.ListAsync(_container, string.IsNullOrEmpty(prefix) ? null : prefix, BlobTraits.None, cancellationToken).ConfigureAwait(false))
        {
            yield return item.Name;
        }
    }
}
