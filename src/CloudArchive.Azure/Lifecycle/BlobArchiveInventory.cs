using System.Runtime.CompilerServices;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CloudArchive.Azure.Storage;
using CloudArchive.Core.Lifecycle.Fixity;

namespace CloudArchive.Azure.Lifecycle;

/// <summary><see cref="IArchiveInventory"/> over the <c>archive</c> container: a prefix listing of <c>studies/{prefix}</c>, one page at a time.</summary>
public sealed class BlobArchiveInventory : IArchiveInventory
{
    private readonly BlobContainerClient _archive;

    /// <summary>Creates the inventory.</summary>
    public BlobArchiveInventory(BlobContainerClient archive) => _archive = archive ?? throw new ArgumentNullException(nameof(archive));

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListInstancesAsync(string studyKeyPrefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(studyKeyPrefix);
        await foreach (var item in StorageListing.ListAsync(_archive, "studies/" + studyKeyPrefix, BlobTraits.None, cancellationToken).ConfigureAwait(false))
        {
            if (ArchiveBlobKeys.TryParse(item.Name) is not null)
            {
                yield return item.Name;
            }
        }
    }
}
