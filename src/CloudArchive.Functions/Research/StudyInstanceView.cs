namespace CloudArchive.Functions.Research;

/// <summary>One published instance in a study-level listing (JSON: <c>seriesInstanceUid</c>, <c>sopInstanceUid</c>, <c>bytes</c>).</summary>
/// <param name="SeriesInstanceUid">De-identified Series Instance UID.</param>
/// <param name="SopInstanceUid">De-identified SOP Instance UID.</param>
/// <param name="Bytes">Size of the DICOM file.</param>
public sealed record StudyInstanceView(string SeriesInstanceUid, string SopInstanceUid, long Bytes);
