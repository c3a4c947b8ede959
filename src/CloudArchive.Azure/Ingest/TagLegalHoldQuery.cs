using Azure.Storage.Blobs;
using CloudArchive.Azure.Storage;
using CloudArchive.Core.Archive;
using CloudArchive.Core.Keys;

namespace CloudArchive.Azure.Ingest;

/// <summary>Answers legal-hold questions from the archive's blob index tags (<c>ca_hold='1'</c> on any instance of the study).</summary>
public sealed class TagLegalHoldQuery : ILegalHoldQuery
{
    private readonly BlobContainerClient _archive;

    /// <summary>Creates the query over the archive container.</summary>
    public TagLegalHoldQuery(BlobContainerClient archive) => _archive = archive ?? throw new ArgumentNullException(nameof(archive));

    /// <inheritdoc />
    public async Task<bool> IsStudyOnHoldAsync(string studyKey, CancellationToken cancellationToken)
    {
        if (!OpaqueKeyFormat(studyKey))
        {
            // Never build a tag query from an unexpected string; refusing is the safe answer for a shred.
            return true;
        }

        var where = $"\"{ArchiveMetadata.StudyTag}\"='{studyKey}' AND \"{ArchiveMetadata.HoldTag}\"='1'";
        return await StorageCall.RunAsync("FindBlobsByTags", async () =>
        {
            await foreach (var page in _archive.FindBlobsByTagsAsync(where, cancellationToken).AsPages().ConfigureAwait(false))
            {
                if (page.Values.Count > 0)
                {
                    return true;
                }
            }

            return false;
        }).ConfigureAwait(false);
    }

    private static bool OpaqueKeyFormat(string value) => value.Length == OpaqueKeyNamer.NameLength && value.All(c => c is (>= 'a' and <= 'z') or (>= '2' and <= '7'));
}
