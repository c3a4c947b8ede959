namespace CloudArchive.Core.Ingest;

/// <summary>
/// Codes of the File Meta fields the ingest rebuilds from the data set when they disagree with it
/// (<see cref="IngestOptions.RepairFileMeta"/>); recorded as <c>meta-repaired=&lt;code&gt;</c> on the import line and
/// in the index record.
/// </summary>
public static class MetaRepairs
{
    /// <summary>MediaStorageSOPInstanceUID (0002,0003) rebuilt from SOPInstanceUID (0008,0018).</summary>
    public const string SopInstanceUid = "media-storage-sop-instance-uid";

    /// <summary>MediaStorageSOPClassUID (0002,0002) rebuilt from SOPClassUID (0008,0016).</summary>
    public const string SopClassUid = "media-storage-sop-class-uid";
}
