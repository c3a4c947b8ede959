using Azure;
using Azure.Core;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Azure.Storage.Http;
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
    private readonly StorageConnection _connection;
    private readonly BlobContainerClient _container;
    private readonly bool _deleteVersions;

    /// <summary>Creates the store over <paramref name="connection"/>.</summary>
    public BlobKeyringStore(StorageConnection connection, BlobKeyringStoreOptions? options = null)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
        options ??= new BlobKeyringStoreOptions();
        _container = connection.Blobs.GetContainer(options.ContainerName);
        _deleteVersions = options.DeleteVersions ?? connection.ImmutabilitySupported;
    }

    /// <summary>The container holding the entries.</summary>
    public BlobContainerClient Container => _container;

    /// <summary>Creates the container if needed (deployment normally does this).</summary>
    public Task<bool> EnsureContainerAsync(CancellationToken cancellationToken = default) => _container.CreateIfNotExistsAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<KeyringDocument?> GetAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await using var download = await _container.GetBlob(name).DownloadAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (download.ContentLength > MaxEntryBytes)
            {
                throw new KeyringException(KeyringFailureReason.CorruptEntry, $"Keyring entry {name} is larger than a keyring entry can be.", name);
            }

            var buffer = new MemoryStream((int)download.ContentLength);
            await download.Content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return new KeyringDocument(buffer.ToArray(), download.Properties.ETag.ToString());
        }
        catch (StorageRequestException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<bool> TryCreateAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        try
        {
            await UploadAsync(name, content, BlobRequestConditions.CreateOnly, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StorageRequestException ex) when (ex.IsConflict || ex.IsPreconditionFailed)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async Task<bool> TryReplaceAsync(string name, ReadOnlyMemory<byte> content, string etag, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(etag);
        try
        {
            await UploadAsync(name, content, new BlobRequestConditions { IfMatch = new ETag(etag) }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StorageRequestException ex) when (ex.IsPreconditionFailed || ex.IsNotFound || ex.IsConflict)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async Task<KeyringPage> ListAsync(string prefix, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var page = await _container.GetBlobPageAsync(new BlobListOptions { Prefix = prefix, PageSize = Math.Clamp(pageSize, 1, 5000) }, continuationToken, cancellationToken).ConfigureAwait(false);
        return new KeyringPage(page.Items.Where(i => !i.IsPrefix).Select(i => i.Name).ToList(), page.ContinuationToken);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAllVersionsAsync(string name, CancellationToken cancellationToken)
    {
        // The base blob goes first: with versioning on, that turns the current version into a previous one, which
        // (unlike the current version) may be deleted by version id.
        bool deleted = await _container.GetBlob(name).DeleteIfExistsAsync(new BlobDeleteOptions { IncludeSnapshots = true }, cancellationToken).ConfigureAwait(false);
        if (_deleteVersions)
        {
            // Previous versions hold older wrappings of the same key: each must go, or the key survives.
            foreach (var versionId in await ListVersionIdsAsync(name, cancellationToken).ConfigureAwait(false))
            {
                deleted |= await _container.GetBlob(name).DeleteIfExistsAsync(new BlobDeleteOptions { VersionId = versionId }, cancellationToken).ConfigureAwait(false);
            }
        }

        // A snapshot can outlive its base blob only if it was created between our listing and the delete; re-check.
        var leftovers = await _container.GetBlobPageAsync(new BlobListOptions { Prefix = name, IncludeSnapshots = true }, null, cancellationToken).ConfigureAwait(false);
        foreach (var item in leftovers.Items.Where(i => i.Name == name && i.Snapshot is not null))
        {
            deleted |= await _container.GetBlob(name).DeleteIfExistsAsync(new BlobDeleteOptions { Snapshot = item.Snapshot }, cancellationToken).ConfigureAwait(false);
        }

        return deleted;
    }

    private async Task UploadAsync(string name, ReadOnlyMemory<byte> content, BlobRequestConditions conditions, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(content.ToArray(), writable: false);
        await _container.GetBlob(name).UploadAsync(stream, new BlobUploadOptions { ContentType = "application/json", Conditions = conditions }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<string>> ListVersionIdsAsync(string name, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        string? marker = null;
        do
        {
            using var message = StorageHttp.CreateMessage(
                _connection.Pipeline,
                RequestMethod.Get,
                _container.Uri,
                ("restype", "container"),
                ("comp", "list"),
                ("prefix", name),
                ("marker", marker),
                ("include", "versions"));
            var response = await StorageHttp.SendAsync(_connection.Pipeline, message, "ListBlobVersions", true, cancellationToken, 200).ConfigureAwait(false);
            var page = BlobXml.ParseListPage(response.ContentStream!);
            ids.AddRange(page.Items.Where(i => i.Name == name && i.VersionId is not null).Select(i => i.VersionId!));
            marker = page.ContinuationToken;
        }
        while (marker is not null);

        return ids;
    }
}
