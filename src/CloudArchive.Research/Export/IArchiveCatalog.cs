namespace CloudArchive.Research.Export;

/// <summary>
/// Lists the archive's encrypted index records (names only: opaque keys, no content). Research export selects studies
/// through these records and never by decrypting instances. Transient failures surface as exceptions.
/// </summary>
public interface IArchiveCatalog
{
    /// <summary>
    /// Every index record, in blob-name order, so the records of one study are contiguous (the exporter streams one
    /// study at a time and refuses a listing that is not ordered).
    /// </summary>
    IAsyncEnumerable<ArchiveIndexEntry> ListIndexAsync(CancellationToken cancellationToken);
}
