using System.Runtime.CompilerServices;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CloudArchive.Azure.Storage;
using CloudArchive.Research.Export;

namespace CloudArchive.Azure.Research;

/// <summary>
/// <see cref="IArchiveCatalog"/> over the <c>archive</c> container: lists the instances,
/// <c>studies/{studyKey}/{instanceKey}.dcm.enc</c>, whose index records travel with them (names and ETags only; the
/// service lists in name order, so a study's instances are contiguous).
/// </summary>
public sealed class BlobArchiveCatalog : IArchiveCatalog
{
    private const string Prefix = "studies/";
    private const string Suffix = ".dcm.enc";
    private readonly BlobContainerClient _archive;

    /// <summary>Creates the catalog.</summary>
    public BlobArchiveCatalog(BlobContainerClient archive) => _archive = archive ?? throw new ArgumentNullException(nameof(archive));

    /// <inheritdoc />
    public async IAsyncEnumerable<ArchiveIndexEntry> ListIndexAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in StorageListing.ListAsync(_archive, Prefix, BlobTraits.None, cancellationToken).ConfigureAwait(false))
        {
            if (Parse(item.Name) is { } keys)
            {
                yield return new ArchiveIndexEntry(keys.StudyKey, keys.InstanceKey, item.Properties.ETag?.ToString());
            }
        }
    }

    /// <summary>The keys of an instance blob name, or null when the name is not one.</summary>
    internal static (string StudyKey, string InstanceKey)? Parse(string name)
    {
        if (!name.StartsWith(Prefix, StringComparison.Ordinal) || !name.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = name[Prefix.Length..^Suffix.Length].Split('/');
        return parts.Length == 2 && ExportNames.IsOpaqueKey(parts[0]) && ExportNames.IsOpaqueKey(parts[1]) ? (parts[0], parts[1]) : null;
    }
}
