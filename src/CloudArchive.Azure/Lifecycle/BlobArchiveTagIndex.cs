using System.Globalization;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CloudArchive.Azure.Storage;
using CloudArchive.Core.Archive;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Lifecycle;

namespace CloudArchive.Azure.Lifecycle;

/// <summary>
/// <see cref="IArchiveTagIndex"/> over the <c>archive</c> container: Find Blobs by Tags one page per call (the caller
/// keeps the continuation token), Get/Set Blob Tags, and Delete Blob with the tag condition <c>"ca_hold" = '0'</c>
/// (<c>x-ms-if-tags</c>). Query values are opaque keys or dates checked here, never text from outside. Against Azurite
/// the queries run as <see cref="TagQueryMode.ListAndFilter"/> (its Find Blobs by Tags loses later pages).
/// </summary>
public sealed class BlobArchiveTagIndex : IArchiveTagIndex
{
    private static readonly string NotHeld = $"\"{ArchiveMetadata.HoldTag}\" = '0'";
    private const string StudiesPrefix = "studies/";
    private readonly BlobContainerClient _archive;
    private readonly bool _blobLegalHold;
    private readonly TagQueryMode _mode;

    /// <summary>Creates the index.</summary>
    /// <param name="archive">The archive container.</param>
    /// <param name="immutabilitySupported">Whether to set blob legal holds too (<c>CloudArchive:Storage:ImmutabilitySupported</c>; Azurite has none).</param>
    /// <param name="mode">How tag queries run (<see cref="TagQueryMode.ListAndFilter"/> for Azurite).</param>
    public BlobArchiveTagIndex(BlobContainerClient archive, bool immutabilitySupported, TagQueryMode mode = TagQueryMode.FindBlobsByTags)
    {
        _archive = archive ?? throw new ArgumentNullException(nameof(archive));
        _blobLegalHold = immutabilitySupported;
        _mode = mode;
    }

    /// <summary>How tag queries run.</summary>
    public TagQueryMode Mode => _mode;

    /// <inheritdoc />
    public bool UsesBlobLegalHold => _blobLegalHold;

    /// <inheritdoc />
    public Task<ArchiveTagPage> FindExpiredAsync(DateOnly asOf, string? continuationToken, int pageSize, CancellationToken cancellationToken) =>
        FindAsync(
            $"\"{ArchiveMetadata.RetainUntilTag}\" < '{Date(asOf)}' AND {NotHeld}",
            StudiesPrefix,
            tags => string.CompareOrdinal(Tag(tags, ArchiveMetadata.RetainUntilTag), Date(asOf)) < 0 && Tag(tags, ArchiveMetadata.HoldTag) == "0",
            continuationToken,
            pageSize,
            cancellationToken);

    /// <inheritdoc />
    public Task<ArchiveTagPage> FindStudyAsync(string studyKey, string? continuationToken, int pageSize, CancellationToken cancellationToken) =>
        FindAsync($"\"{ArchiveMetadata.StudyTag}\" = '{Key(studyKey)}'", StudyPrefix(studyKey), tags => Tag(tags, ArchiveMetadata.StudyTag) == studyKey, continuationToken, pageSize, cancellationToken);

    /// <inheritdoc />
    public Task<ArchiveTagPage> FindPatientAsync(string patientPseudonym, string? continuationToken, int pageSize, CancellationToken cancellationToken) =>
        FindAsync($"\"{ArchiveMetadata.PatientTag}\" = '{Key(patientPseudonym)}'", StudiesPrefix, tags => Tag(tags, ArchiveMetadata.PatientTag) == patientPseudonym, continuationToken, pageSize, cancellationToken);

    /// <inheritdoc />
    public bool ListsAllInNameOrder => _mode == TagQueryMode.ListAndFilter;

    /// <inheritdoc />
    public async Task<ArchiveTagPage> ListAllAsync(string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        if (_mode != TagQueryMode.ListAndFilter)
        {
            throw new NotSupportedException("Only the list-and-filter mode walks the archive.");
        }

        return await StorageCall.RunAsync("ListBlobs", async () =>
        {
            var pages = _archive.GetBlobsAsync(new GetBlobsOptions { Prefix = StudiesPrefix, Traits = BlobTraits.Tags }, cancellationToken).AsPages(continuationToken, Math.Min(pageSize, 5000));
            await foreach (var page in pages.ConfigureAwait(false))
            {
                var instances = new List<TaggedInstance>(page.Values.Count);
                foreach (var item in page.Values)
                {
                    if (Walked(item) is { } instance)
                    {
                        instances.Add(instance);
                    }
                }

                return new ArchiveTagPage(instances, string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
            }

            return new ArchiveTagPage([], null);
        }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<bool> StudyHasUnexpiredAsync(string studyKey, DateOnly asOf, CancellationToken cancellationToken) =>
        AnyAsync(
            $"\"{ArchiveMetadata.StudyTag}\" = '{Key(studyKey)}' AND \"{ArchiveMetadata.RetainUntilTag}\" >= '{Date(asOf)}'",
            StudyPrefix(studyKey),
            tags => string.CompareOrdinal(Tag(tags, ArchiveMetadata.RetainUntilTag), Date(asOf)) >= 0,
            cancellationToken);

    /// <inheritdoc />
    public Task<bool> StudyHasHeldInstanceAsync(string studyKey, CancellationToken cancellationToken) =>
        AnyAsync(
            $"\"{ArchiveMetadata.StudyTag}\" = '{Key(studyKey)}' AND \"{ArchiveMetadata.HoldTag}\" = '1'",
            StudyPrefix(studyKey),
            tags => Tag(tags, ArchiveMetadata.HoldTag) == "1",
            cancellationToken);

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

    /// <summary>
    /// Whether any blob matches, whatever its name: a blob tagged <c>ca_hold = '1'</c> under an unexpected name must still
    /// count as a hold (failing closed), where the paged queries skip names that are not archive instances.
    /// </summary>
    private async Task<bool> AnyAsync(string where, string prefix, Func<IDictionary<string, string>?, bool> matches, CancellationToken cancellationToken) =>
        await StorageCall.RunAsync(_mode == TagQueryMode.FindBlobsByTags ? "FindBlobsByTags" : "ListBlobs", async () =>
        {
            if (_mode == TagQueryMode.FindBlobsByTags)
            {
                await foreach (var page in _archive.FindBlobsByTagsAsync(where, cancellationToken).AsPages(null, 100).ConfigureAwait(false))
                {
                    if (page.Values.Count > 0)
                    {
                        return true;
                    }
                }

                return false;
            }

            await foreach (var item in _archive.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix, Traits = BlobTraits.Tags }, cancellationToken).ConfigureAwait(false))
            {
                if (matches(item.Tags))
                {
                    return true;
                }
            }

            return false;
        }).ConfigureAwait(false);

    private Task<ArchiveTagPage> FindAsync(string where, string prefix, Func<IDictionary<string, string>?, bool> matches, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        pageSize = Math.Min(pageSize, 5000);
        return _mode == TagQueryMode.FindBlobsByTags
            ? FindByTagsAsync(where, continuationToken, pageSize, cancellationToken)
            : ListAndFilterAsync(prefix, matches, continuationToken, pageSize, cancellationToken);
    }

    private async Task<ArchiveTagPage> FindByTagsAsync(string where, string? continuationToken, int pageSize, CancellationToken cancellationToken) =>
        await StorageCall.RunAsync("FindBlobsByTags", async () =>
        {
            await foreach (var page in _archive.FindBlobsByTagsAsync(where, cancellationToken).AsPages(continuationToken, pageSize).ConfigureAwait(false))
            {
                var instances = new List<TaggedInstance>(page.Values.Count);
                foreach (var item in page.Values)
                {
                    if (TaggedInstance.FromName(item.BlobName, Tag(item.Tags, ArchiveMetadata.RetainUntilTag)) is { } instance)
                    {
                        instances.Add(instance);
                    }
                }

                return new ArchiveTagPage(instances, string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
            }

            return new ArchiveTagPage([], null);
        }).ConfigureAwait(false);

    private async Task<ArchiveTagPage> ListAndFilterAsync(string prefix, Func<IDictionary<string, string>?, bool> matches, string? continuationToken, int pageSize, CancellationToken cancellationToken) =>
        await StorageCall.RunAsync("ListBlobs", async () =>
        {
            var pages = _archive.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix, Traits = BlobTraits.Tags }, cancellationToken).AsPages(continuationToken, pageSize);
            await foreach (var page in pages.ConfigureAwait(false))
            {
                var instances = new List<TaggedInstance>();
                foreach (var item in page.Values)
                {
                    if (matches(item.Tags) && TaggedInstance.FromName(item.Name, Tag(item.Tags, ArchiveMetadata.RetainUntilTag)) is { } instance)
                    {
                        instances.Add(instance);
                    }
                }

                return new ArchiveTagPage(instances, string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
            }

            return new ArchiveTagPage([], null);
        }).ConfigureAwait(false);

    /// <summary>An instance with its tags; a held blob in a study's folder that is not an instance still holds the study (failing closed).</summary>
    private static TaggedInstance? Walked(BlobItem item)
    {
        var hold = Tag(item.Tags, ArchiveMetadata.HoldTag);
        if (TaggedInstance.FromName(item.Name, Tag(item.Tags, ArchiveMetadata.RetainUntilTag)) is { } instance)
        {
            return instance with { Hold = hold, Patient = Tag(item.Tags, ArchiveMetadata.PatientTag) };
        }

        var slash = item.Name.IndexOf('/', StudiesPrefix.Length);
        var study = slash > 0 ? item.Name[StudiesPrefix.Length..slash] : null;
        return hold == "1" && study is not null && OpaqueKey.IsValid(study) ? new TaggedInstance(item.Name, study, string.Empty, null) { Hold = hold } : null;
    }

    private static string? Tag(IDictionary<string, string>? tags, string name) => tags is not null && tags.TryGetValue(name, out var value) ? value : null;

    private static string StudyPrefix(string studyKey) => StudiesPrefix + Key(studyKey) + "/";

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Key(string key) => OpaqueKey.IsValid(key) ? key : throw new ArgumentException("Not an opaque key.", nameof(key));

    private static string Instance(string name) => TaggedInstance.FromName(name) is not null ? name : throw new ArgumentException("Not an archive instance name.", nameof(name));
}
