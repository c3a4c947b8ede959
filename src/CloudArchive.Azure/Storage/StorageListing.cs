using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace CloudArchive.Azure.Storage;

/// <summary>Lists a container's blobs under a prefix with every page's failure typed (<see cref="StorageCall"/>).</summary>
public static class StorageListing
{
    /// <summary>The blobs (current versions, no snapshots) whose names start with <paramref name="prefix"/>.</summary>
    public static async IAsyncEnumerable<BlobItem> ListAsync(BlobContainerClient container, string? prefix, BlobTraits traits, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        var pages = container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix, Traits = traits }, cancellationToken).AsPages().GetAsyncEnumerator(cancellationToken);
        await using (pages.ConfigureAwait(false))
        {
            while (true)
            {
                Page<BlobItem> page;
                try
                {
                    if (!await pages.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }

                    page = pages.Current;
                }
                catch (Exception ex) when (StorageErrors.TryGetFailure(ex, out var failure))
                {
                    throw StorageErrors.From(failure, "ListBlobs");
                }

                foreach (var item in page.Values)
                {
                    yield return item;
                }
            }
        }
    }
}
