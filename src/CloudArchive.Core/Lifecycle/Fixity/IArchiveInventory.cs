namespace CloudArchive.Core.Lifecycle.Fixity;

/// <summary>
/// Lists the archive's instance blobs (<c>studies/{studyKey}/{instanceKey}.dcm.enc</c>) whose study key starts with a
/// prefix, in name order, page by page: a sweep never holds more than one page of names. Transient failures surface
/// as exceptions.
/// </summary>
public interface IArchiveInventory
{
    /// <summary>The names of the instance blobs whose study key starts with <paramref name="studyKeyPrefix"/>.</summary>
    IAsyncEnumerable<string> ListInstancesAsync(string studyKeyPrefix, CancellationToken cancellationToken);
}
