using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Core.Keys;

namespace CloudArchive.Azure.Keys;

/// <summary>
/// The keyring store on Blob Storage: one small JSON blob per entry in the <c>keyring</c> container. Create-only
/// writes use <c>If-None-Match: *</c>, replacements <c>If-Match: {etag}</c>, and shredding deletes the blob with its
/// snapshots and (on Azure) every previous version.
/// </summary>
/// <remarks>
/// Blob soft delete keeps deleted blobs and versions recoverable for its retention period: configure the keyring's
/// account with soft delete off or short, because a shred is final only once no recoverable copy remains.
/// </remarks>
public sealed class BlobKeyringStore : IKeyringStore
{
    private const int MaxEntryBytes = 64 * 1024;
    private readonly BlobContainerClient _container;
    private readonly bool _deleteVersions;

    /// <summary>Creates the store over <paramref name="connection"/>.</summary>
    public BlobKeyringStore(StorageConnection connection, BlobKeyringStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        options ??= new BlobKeyringStoreOptions();
        _container = connection.Blobs.GetBlobContainerClient(options.ContainerName);
        _deleteVersions = options.DeleteVersions ?? connection.ImmutabilitySupported;
    }

    /// <summary>The container holding the entries.</summary>
    public BlobContainerClient Container => _container;

    /// <inheritdoc />
    public async Task<KeyringDocument?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var document = await SmallBlobDocument.ReadAsync(
            _container.GetBlobClient(name),
            MaxEntryBytes,
            () => new KeyringException(KeyringFailureReason.CorruptEntry, $"Keyring entry {name} is larger than a keyring entry can be.", name),
            cancellationToken).ConfigureAwait(false);
        return document is { } d ? new KeyringDocument(d.Content, d.ETag) : null;
    }

    /// <inheritdoc />
    public async Task<bool> TryCreateAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        await SmallBlobDocument.TryWriteAsync(_container.GetBlockBlobClient(name), content.ToArray(), etag: null, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<bool> TryReplaceAsync(string name, ReadOnlyMemory<byte> content, string etag, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(etag);
        return await SmallBlobDocument.TryWriteAsync(_container.GetBlockBlobClient(name), content.ToArray(), etag, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<KeyringPage> ListAsync(string prefix, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var page = await StorageCall.RunAsync("ListBlobs", async () =>
        {
            await foreach (var p in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken).AsPages(continuationToken, Math.Clamp(pageSize, 1, 5000)).ConfigureAwait(false))
            {
                return p;
            }

            return null;
        }).ConfigureAwait(false);
        return page is null
            ? new KeyringPage([], null)
            : new KeyringPage(page.Values.Select(i => i.Name).ToList(), string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAllVersionsAsync(string name, CancellationToken cancellationToken)
    {
        var blob = _container.GetBlobClient(name);

        // The base blob goes first: with versioning on, that turns the current version into a previous one, which
        // (unlike the current version) may be deleted by version id.
        var deleted = await DeleteIfExistsAsync(blob, DeleteSnapshotsOption.IncludeSnapshots, cancellationToken).ConfigureAwait(false);
        if (_deleteVersions)
        {
            // Previous versions hold older wrappings of the same key: each must go, or the key survives.
            foreach (var item in await ListAsync(name, BlobStates.Version, cancellationToken).ConfigureAwait(false))
            {
                if (item.VersionId is { } versionId)
                {
                    deleted |= await DeleteIfExistsAsync(blob.WithVersion(versionId), DeleteSnapshotsOption.None, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        // A snapshot can outlive its base blob only if it was created between our listing and the delete; re-check.
        foreach (var item in await ListAsync(name, BlobStates.Snapshots, cancellationToken).ConfigureAwait(false))
        {
            if (item.Snapshot is { } snapshot)
            {
                deleted |= await DeleteIfExistsAsync(blob.WithSnapshot(snapshot), DeleteSnapshotsOption.None, cancellationToken).ConfigureAwait(false);
            }
        }

        return deleted;
    }

    private static async Task<bool> DeleteIfExistsAsync(BlobClient blob, DeleteSnapshotsOption snapshots, CancellationToken cancellationToken) =>
        (await StorageCall.RunAsync("DeleteBlob", () => blob.DeleteIfExistsAsync(snapshots, cancellationToken: cancellationToken)).ConfigureAwait(false)).Value;

    private Task<List<BlobItem>> ListAsync(string name, BlobStates states, CancellationToken cancellationToken) =>
        StorageCall.RunAsync("ListBlobs", async () =>
        {
            var items = new List<BlobItem>();
            await foreach (var item in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = name, States = states }, cancellationToken).ConfigureAwait(false))
            {
                if (item.Name == name)
                {
                    items.Add(item);
                }
            }

            return items;
        });
}
