namespace CloudArchive.Core.DicomWeb.Clinical;

/// <summary>
/// Finds archived instances by their opaque index tags (Find Blobs by Tags) or by their study's name prefix, without
/// listing the archive. Values are opaque keys only; the implementation refuses anything else rather than build a query
/// from it. Transient failures surface as exceptions.
/// </summary>
public interface IArchiveTagIndex
{
    /// <summary>The instances whose index tag <paramref name="tag"/> equals <paramref name="value"/>.</summary>
    /// <param name="tag">One of the archive's index tags (<see cref="Archive.ArchiveMetadata"/>).</param>
    /// <param name="value">An opaque key (26 lowercase base32 characters).</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    IAsyncEnumerable<ArchiveInstanceRef> FindByTagAsync(string tag, string value, CancellationToken cancellationToken);

    /// <summary>The instances of one study (a listing of <c>studies/{studyKey}/</c>).</summary>
    IAsyncEnumerable<ArchiveInstanceRef> ListStudyAsync(string studyKey, CancellationToken cancellationToken);
}
