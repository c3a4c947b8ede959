using System.Runtime.CompilerServices;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CloudArchive.Azure.Research;
using CloudArchive.Azure.Storage;
using CloudArchive.Core.Archive;
using CloudArchive.Core.DicomWeb.Clinical;
using CloudArchive.Research.Export;

namespace CloudArchive.Azure.DicomWeb;

/// <summary>
/// <see cref="IArchiveTagIndex"/> over the <c>archive</c> container: Find Blobs by Tags on one opaque index tag, and a
/// name-prefix listing of one study. Blob index tags are eventually consistent in Azure (an instance archived seconds
/// ago may not be found by tag yet); the study listing is not.
/// </summary>
public sealed class BlobArchiveTagIndex : IArchiveTagIndex
{
    private static readonly HashSet<string> QueryableTags = new(StringComparer.Ordinal)
    {
        ArchiveMetadata.StudyTag,
        ArchiveMetadata.SeriesTag,
        ArchiveMetadata.AccessionTag,
        ArchiveMetadata.PatientTag,
    };

    private readonly BlobContainerClient _archive;

    /// <summary>Creates the index over the archive container.</summary>
    public BlobArchiveTagIndex(BlobContainerClient archive) => _archive = archive ?? throw new ArgumentNullException(nameof(archive));

    /// <inheritdoc />
    public async IAsyncEnumerable<ArchiveInstanceRef> FindByTagAsync(string tag, string value, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Never build a tag query from an unexpected string: both are checked against the fixed shapes.
        if (!QueryableTags.Contains(tag) || !ExportNames.IsOpaqueKey(value))
        {
            throw new ArgumentException("Only the archive's opaque index tags and opaque key values can be queried.", nameof(value));
        }

        var where = $"\"{tag}\"='{value}'";
        var pages = _archive.FindBlobsByTagsAsync(where, cancellationToken).AsPages().GetAsyncEnumerator(cancellationToken);
        await using (pages.ConfigureAwait(false))
        {
            while (await StorageCall.RunAsync("FindBlobsByTags", async () => await pages.MoveNextAsync().ConfigureAwait(false)).ConfigureAwait(false))
            {
                foreach (var item in pages.Current.Values)
                {
                    if (BlobArchiveCatalog.Parse(item.BlobName) is { } keys)
                    {
                        yield return new ArchiveInstanceRef(keys.StudyKey, keys.InstanceKey);
                    }
                }
            }
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ArchiveInstanceRef> ListStudyAsync(string studyKey, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!ExportNames.IsOpaqueKey(studyKey))
        {
            throw new ArgumentException("A study key is an opaque key.", nameof(studyKey));
        }

        await foreach (var item in StorageListing.ListAsync(_archive, "studies/" + studyKey + "/", BlobTraits.None, cancellationToken).ConfigureAwait(false))
        {
            if (BlobArchiveCatalog.Parse(item.Name) is { } keys)
            {
                yield return new ArchiveInstanceRef(keys.StudyKey, keys.InstanceKey);
            }
        }
    }
}
