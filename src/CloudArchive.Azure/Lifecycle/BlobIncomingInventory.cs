using System.Runtime.CompilerServices;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CloudArchive.Azure.Storage;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Lifecycle.Reconcile;

namespace CloudArchive.Azure.Lifecycle;

/// <summary><see cref="IIncomingInventory"/> over the <c>incoming</c> container: block blobs with their metadata (the upload reference), page by page.</summary>
public sealed class BlobIncomingInventory : IIncomingInventory
{
    private readonly BlobContainerClient _incoming;

    /// <summary>Creates the inventory.</summary>
    public BlobIncomingInventory(BlobContainerClient incoming) => _incoming = incoming ?? throw new ArgumentNullException(nameof(incoming));

    /// <inheritdoc />
    public async IAsyncEnumerable<IncomingBlob> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in StorageListing.ListAsync(_incoming, prefix: null, BlobTraits.Metadata, cancellationToken).ConfigureAwait(false))
        {
            if (item.Properties.BlobType != BlobType.Block || item.Properties.ETag is not { } etag || item.Properties.LastModified is not { } modified)
            {
                continue;
            }

            item.Metadata.TryGetValue(UploadReference.MetadataName, out var reference);
            yield return new IncomingBlob(_incoming.Name, item.Name, etag.ToString(), item.Properties.ContentLength ?? 0, modified, item.Properties.ContentType, UploadReference.ParseOrNull(reference));
        }
    }
}
