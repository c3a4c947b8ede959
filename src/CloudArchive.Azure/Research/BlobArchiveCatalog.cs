using System.Runtime.CompilerServices;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Core.Research.Export;

namespace CloudArchive.Azure.Research;

/// <summary>
/// <see cref="IArchiveCatalog"/> over the <c>archive</c> container: lists <c>index/{studyKey}/{instanceKey}.json.enc</c>
/// (names and ETags only; the service lists in name order, so a study's records are contiguous).
/// </summary>
public sealed class BlobArchiveCatalog : IArchiveCatalog
{
    private const string Prefix = "index/";
    private const string Suffix = ".json.enc";
    private readonly BlobContainerClient _archive;

    /// <summary>Creates the catalog.</summary>
    public BlobArchiveCatalog(BlobContainerClient archive) => _archive = archive ?? throw new ArgumentNullException(nameof(archive));

    /// <inheritdoc />
    public async IAsyncEnumerable<ArchiveIndexEntry> ListIndexAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in _archive.ListBlobsAsync(new BlobListOptions { Prefix = Prefix }, cancellationToken).ConfigureAwait(false))
        {
            if (!item.IsPrefix && Parse(item.Name) is { } keys)
            {
                yield return new ArchiveIndexEntry(keys.StudyKey, keys.InstanceKey, item.ETag?.ToString());
            }
        }
    }

    /// <summary>The keys of an index record name, or null when the name is not one.</summary>
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
