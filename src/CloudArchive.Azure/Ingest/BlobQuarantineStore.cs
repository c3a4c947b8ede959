using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Core.Archive;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Ingest.Quarantine;
using CloudArchive.Core.Keys;

namespace CloudArchive.Azure.Ingest;

/// <summary>
/// <see cref="IQuarantineStore"/> over the <c>quarantine</c> container: <c>q/{id}.dcm.enc</c> (the encrypted copy) and
/// <c>q/{id}.reason.json</c>, both create-only and both carrying the index tags, so the lifecycle's questions ("this
/// study's copies", "copies past their date") are Find Blobs by Tags queries, paged by the service.
/// </summary>
public sealed class BlobQuarantineStore : IQuarantineStore
{
    /// <summary>Largest reason document read (they are a few hundred bytes).</summary>
    private const int MaxReasonBytes = 64 * 1024;

    /// <summary>Tag-query page size.</summary>
    private const int FindPageSize = 500;

    private readonly BlobContainerClient _container;
    private readonly StorageOptions _storage;

    /// <summary>Creates the store.</summary>
    public BlobQuarantineStore(BlobContainerClient container, StorageOptions storage)
    {
        _container = container ?? throw new ArgumentNullException(nameof(container));
        _storage = storage ?? throw new ArgumentNullException(nameof(storage));
    }

    /// <inheritdoc />
    public async Task<bool> PlaceAsync(QuarantinePlacement placement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(placement);
        var created = true;
        try
        {
            await BlockUpload.UploadAsync(
                _container.GetBlockBlobClient(QuarantineNames.Copy(placement.Id)),
                new NonDisposingStream(placement.Ciphertext),
                new BlockUploadOptions { Metadata = placement.Metadata, Tags = placement.Tags, Conditions = WriteConditions.CreateOnly() },
                _storage,
                cancellationToken).ConfigureAwait(false);
        }
        catch (StorageRequestException ex) when (ex.IsConflict || ex.IsPreconditionFailed)
        {
            // The id is keyed by the upload version, so the blob there is this upload's copy from an earlier attempt.
            created = false;
        }

        try
        {
            using var reason = new MemoryStream(placement.ReasonJson.ToArray(), writable: false);
            await BlockUpload.PutAsync(
                _container.GetBlockBlobClient(QuarantineNames.Reason(placement.Id)),
                reason,
                new BlockUploadOptions { ContentType = "application/json", Tags = placement.Tags, Conditions = WriteConditions.CreateOnly() },
                cancellationToken).ConfigureAwait(false);
        }
        catch (StorageRequestException ex) when (ex.IsConflict || ex.IsPreconditionFailed)
        {
            // The first placement's reason stays: the first reason is what the upload was quarantined for.
        }

        return created;
    }

    /// <inheritdoc />
    public async Task<QuarantinePage> ListAsync(string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        return await StorageCall.RunAsync("ListBlobs", async () =>
        {
            try
            {
                await foreach (var page in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, QuarantineNames.Prefix, cancellationToken).AsPages(continuationToken, pageSize).ConfigureAwait(false))
                {
                    var ids = page.Values
                        .Where(b => b.Name.EndsWith(QuarantineNames.ReasonSuffix, StringComparison.Ordinal))
                        .Select(b => QuarantineNames.IdOf(b.Name))
                        .OfType<string>()
                        .Distinct(StringComparer.Ordinal)
                        .ToList();
                    return new QuarantinePage(ids, string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
                }
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // No quarantine container yet: nothing was ever quarantined.
            }

            return new QuarantinePage([], null);
        }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<QuarantineReasonBlob?> ReadReasonAsync(string id, CancellationToken cancellationToken)
    {
        var blob = _container.GetBlobClient(QuarantineNames.Reason(id));
        try
        {
            using var download = await DownloadContentStream.OpenAsync(() => blob.DownloadStreamingAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (download.Length > MaxReasonBytes)
            {
                throw new InvalidDataException($"The reason document of {id} is larger than {MaxReasonBytes} bytes.");
            }

            var buffer = new MemoryStream((int)download.Length);
            await download.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return new QuarantineReasonBlob(buffer.ToArray(), download.Details.ETag.ToString(), download.Details.LastModified);
        }
        catch (StorageRequestException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<bool> TryReplaceReasonAsync(string id, ReadOnlyMemory<byte> reasonJson, string etag, CancellationToken cancellationToken)
    {
        var name = QuarantineNames.Reason(id);
        var tags = await TryGetTagsAsync(name, cancellationToken).ConfigureAwait(false);
        if (tags is null)
        {
            return false;
        }

        try
        {
            using var content = new MemoryStream(reasonJson.ToArray(), writable: false);
            await BlockUpload.PutAsync(
                _container.GetBlockBlobClient(name),
                content,
                new BlockUploadOptions { ContentType = "application/json", Tags = tags, Conditions = new BlobRequestConditions { IfMatch = new ETag(etag) } },
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StorageRequestException ex) when (ex.IsNotFound || ex.IsPreconditionFailed)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async Task<QuarantineCopy?> OpenCopyAsync(string id, CancellationToken cancellationToken)
    {
        var blob = _container.GetBlobClient(QuarantineNames.Copy(id));
        try
        {
            var download = await DownloadContentStream.OpenAsync(() => blob.DownloadStreamingAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
            return new QuarantineCopy(download, download.Length, new Dictionary<string, string>(download.Details.Metadata, StringComparer.Ordinal));
        }
        catch (StorageRequestException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public Task<bool> DeleteCopyAsync(string id, CancellationToken cancellationToken) => DeleteBlobAsync(QuarantineNames.Copy(id), cancellationToken);

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        // The copy first: an interrupted delete leaves a reason document, which a re-run (or the sweep) removes.
        var copy = await DeleteBlobAsync(QuarantineNames.Copy(id), cancellationToken).ConfigureAwait(false);
        var reason = await DeleteBlobAsync(QuarantineNames.Reason(id), cancellationToken).ConfigureAwait(false);
        return copy || reason;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, string>?> GetTagsAsync(string id, CancellationToken cancellationToken) =>
        await TryGetTagsAsync(QuarantineNames.Reason(id), cancellationToken).ConfigureAwait(false)
        ?? await TryGetTagsAsync(QuarantineNames.Copy(id), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public Task<QuarantinePage> FindByStudyAsync(string studyKey, string? continuationToken, CancellationToken cancellationToken)
    {
        if (!KeyringNames.IsValidStudyKey(studyKey))
        {
            // Never build a tag query from an unexpected string.
            throw new ArgumentException("Not an opaque study key.", nameof(studyKey));
        }

        return FindAsync($"\"{ArchiveMetadata.StudyTag}\"='{studyKey}'", continuationToken, cancellationToken);
    }

    /// <inheritdoc />
    public Task<QuarantinePage> FindRetainedBeforeAsync(DateOnly date, string? continuationToken, CancellationToken cancellationToken) =>
        FindAsync($"\"{ArchiveMetadata.RetainUntilTag}\"<'{date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}'", continuationToken, cancellationToken);

    private async Task<QuarantinePage> FindAsync(string where, string? continuationToken, CancellationToken cancellationToken) =>
        await StorageCall.RunAsync("FindBlobsByTags", async () =>
        {
            await foreach (var page in _container.FindBlobsByTagsAsync(where, cancellationToken).AsPages(continuationToken, FindPageSize).ConfigureAwait(false))
            {
                var ids = page.Values.Select(b => QuarantineNames.IdOf(b.BlobName)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
                return new QuarantinePage(ids, string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
            }

            return new QuarantinePage([], null);
        }).ConfigureAwait(false);

    private async Task<IReadOnlyDictionary<string, string>?> TryGetTagsAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var tags = await StorageCall.RunAsync("GetBlobTags", () => _container.GetBlobClient(name).GetTagsAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
            return new Dictionary<string, string>(tags.Value.Tags, StringComparer.Ordinal);
        }
        catch (StorageRequestException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    private async Task<bool> DeleteBlobAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await StorageCall.RunAsync("DeleteBlob", () => _container.GetBlobClient(name).DeleteAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return true;
        }
        catch (StorageRequestException ex) when (ex.IsNotFound)
        {
            return false;
        }
    }
}
