namespace CloudArchive.Azure.Lifecycle;

/// <summary>How <see cref="BlobArchiveTagIndex"/> answers tag queries.</summary>
public enum TagQueryMode
{
    /// <summary>Find Blobs by Tags, paged by the service's continuation marker (Azure).</summary>
    FindBlobsByTags,

    /// <summary>
    /// List Blobs under <c>studies/</c> (or the study's folder) with their tags, paged by the listing's marker, and
    /// filter each page here. For Azurite, whose Find Blobs by Tags returns only the matches among the first page-size
    /// blobs after the marker and then no marker at all (its <c>FilterBlobPage.fill</c>), so later matches are lost.
    /// </summary>
    ListAndFilter,
}
