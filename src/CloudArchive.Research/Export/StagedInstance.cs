namespace CloudArchive.Research.Export;

/// <summary>One de-identified copy written to the run's temporary directory, waiting to be uploaded.</summary>
/// <param name="Entry">The archive instance it was made from.</param>
/// <param name="StudyUid">The research Study Instance UID.</param>
/// <param name="SeriesUid">The research Series Instance UID.</param>
/// <param name="InstanceUid">The research SOP Instance UID.</param>
/// <param name="BlobName">Its name in the research store.</param>
/// <param name="Path">The temporary file.</param>
/// <param name="Length">Its length in bytes.</param>
internal sealed record StagedInstance(ArchiveIndexEntry Entry, string StudyUid, string SeriesUid, string InstanceUid, string BlobName, string Path, long Length);
