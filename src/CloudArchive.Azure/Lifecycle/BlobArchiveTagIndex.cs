using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CloudArchive.Azure.Storage;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Lifecycle;

namespace CloudArchive.Azure.Lifecycle;

/// <summary>
/// <see cref="IArchiveTagIndex"/> over the <c>archive</c> container: Find Blobs by Tags one page per call (the caller
/// keeps the continuation token), Get/Set Blob Tags, and Delete Blob with the tag condition <c>"ca_hold" = '0'</c>
/// (<c>x-ms-if-tags</c>). Query values are opaque keys or dates checked here, never text from outside.
/// </summary>
public sealed class BlobArchiveTagIndex : IArchiveTagIndex
{
    private static readonly string NotHeld = $"\"{ArchiveMetadata.HoldTag}\" = '0'";
    private readonly BlobContainerClient _archive;
    private bool _blobLegalHold;

    /// <summary>Creates the index.</summary>
    /// <param name="archive">The archive container.</param>
    /// <param name="immutabilitySupported">Whether to set blob legal holds too (<c>CloudArchive:Storage:ImmutabilitySupported</c>; Azurite has none).</param>
    public BlobArchiveTagIndex(BlobContainerClient archive, bool immutabilitySupported)
    {
        _archive = archive ?? throw new ArgumentNullException(nameof(archive));
        _blobLegalHold = immutabilitySupported;
    }

    /// <inheritdoc />
    public bool UsesBlobLegalHold => _blobLegalHold;

    /// <inheritdoc />
    public Task<ArchiveTagPage> FindExpiredAsync(DateOnly asOf, string? continuationToken, int pageSize, CancellationToken cancellationToken) =>
        FindAsync($"\"{ArchiveMetadata.RetainUntilTag}\" < '{Date(asOf)}' AND {NotHeld}", continuationToken, pageSize, cancellationToken);

    /// <inheritdoc />
    public Task<ArchiveTagPage> FindStudyAsync(string studyKey, string? continuationToken, int pageSize, CancellationToken cancellationToken) =>
        FindAsync($"\"{ArchiveMetadata.StudyTag}\" = '{Key(studyKey)}'", continuationToken, pageSize, cancellationToken);

    /// <inheritdoc />
    public Task<ArchiveTagPage> FindPatientAsync(string patientPseudonym, string? continuationToken, int pageSize, CancellationToken cancellationToken) =>
        FindAsync($"\"{ArchiveMetadata.PatientTag}\" = '{Key(patientPseudonym)}'", continuationToken, pageSize, cancellationToken);

    /// <inheritdoc />
    public async Task<bool> StudyHasUnexpiredAsync(string studyKey, DateOnly asOf, CancellationToken cancellationToken) =>
        (await FindAsync($"\"{ArchiveMetadata.StudyTag}\" = '{Key(studyKey)}' AND \"{ArchiveMetadata.RetainUntilTag}\" >= '{Date(asOf)}'", null, 1, cancellationToken).ConfigureAwait(false)).Instances.Count > 0;

    /// <inheritdoc />
    public async Task<bool> StudyHasHeldInstanceAsync(string studyKey, CancellationToken cancellationToken) =>
        (await FindAsync($"\"{ArchiveMetadata.StudyTag}\" = '{Key(studyKey)}' AND \"{ArchiveMetadata.HoldTag}\" = '1'", null, 1, cancellationToken).ConfigureAwait(false)).Instances.Count > 0;

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, string>?> GetTagsAsync(string instanceName, CancellationToken cancellationToken)
    {
        try
        {
            var result = await StorageCall.RunAsync("GetBlobTags", () => _archive.GetBlobClient(Instance(instanceName)).GetTagsAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
            return new Dictionary<string, string>(result.Value.Tags, StringComparer.Ordinal);
        }
        catch (StorageRequestException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<bool> SetHoldAsync(string instanceName, bool held, CancellationToken cancellationToken)
    {
        var blob = _archive.GetBlobClient(Instance(instanceName));
        var tags = await GetTagsAsync(instanceName, cancellationToken).ConfigureAwait(false);
        if (tags is null)
        {
            return false;
        }

        var value = held ? "1" : "0";
        if (_blobLegalHold)
        {
            // With version-level immutability the blob legal hold is what the service enforces; the tag is what queries see.
            try
            {
                await StorageCall.RunAsync("SetLegalHold", () => blob.SetLegalHoldAsync(held, cancellationToken)).ConfigureAwait(false);
            }
            catch (StorageRequestException ex) when (ex.IsNotFound)
            {
                return false;
            }
        }

        if (tags.TryGetValue(ArchiveMetadata.HoldTag, out var current) && current == value)
        {
            return true;
        }

        var updated = new Dictionary<string, string>(tags, StringComparer.Ordinal) { [ArchiveMetadata.HoldTag] = value };
        try
        {
            await StorageCall.RunAsync("SetBlobTags", () => blob.SetTagsAsync(updated, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return true;
        }
        catch (StorageRequestException ex) when (ex.IsNotFound)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async Task<InstanceDeletion> DeleteUnheldAsync(string instanceName, CancellationToken cancellationToken)
    {
        var instance = TaggedInstance.FromName(instanceName) ?? throw new ArgumentException("Not an archive instance name.", nameof(instanceName));
        try
        {
            await StorageCall.RunAsync("DeleteBlob", () => _archive.GetBlobClient(instanceName).DeleteAsync(
                DeleteSnapshotsOption.IncludeSnapshots,
                new BlobRequestConditions { TagConditions = NotHeld },
                cancellationToken)).ConfigureAwait(false);
        }
        catch (StorageRequestException ex) when (ex.IsNotFound)
        {
            await DeleteIndexRecordAsync(instance, cancellationToken).ConfigureAwait(false);
            return InstanceDeletion.Gone;
        }
        catch (StorageRequestException ex) when (ex.IsPreconditionFailed)
        {
            return InstanceDeletion.Held;
        }

        await DeleteIndexRecordAsync(instance, cancellationToken).ConfigureAwait(false);
        return InstanceDeletion.Deleted;
    }

    private async Task DeleteIndexRecordAsync(TaggedInstance instance, CancellationToken cancellationToken) =>
        await StorageCall.RunAsync("DeleteBlob", () => _archive.GetBlobClient(ArchiveNames.IndexRecord(instance.StudyKey, instance.InstanceKey)).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken)).ConfigureAwait(false);

    private async Task<ArchiveTagPage> FindAsync(string where, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        return await StorageCall.RunAsync("FindBlobsByTags", async () =>
        {
            await foreach (var page in _archive.FindBlobsByTagsAsync(where, cancellationToken).AsPages(continuationToken, Math.Min(pageSize, 5000)).ConfigureAwait(false))
            {
                var instances = new List<TaggedInstance>(page.Values.Count);
                foreach (var item in page.Values)
                {
                    var retainUntil = item.Tags is not null && item.Tags.TryGetValue(ArchiveMetadata.RetainUntilTag, out var r) ? r : null;
                    if (TaggedInstance.FromName(item.BlobName, retainUntil) is { } instance)
                    {
                        instances.Add(instance);
                    }
                }

                return new ArchiveTagPage(instances, string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
            }

            return new ArchiveTagPage([], null);
        }).ConfigureAwait(false);
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Key(string key) => OpaqueKey.IsValid(key) ? key : throw new ArgumentException("Not an opaque key.", nameof(key));

    private static string Instance(string name) => TaggedInstance.FromName(name) is not null ? name : throw new ArgumentException("Not an archive instance name.", nameof(name));
}
