namespace CloudArchive.Research.DicomWeb;

/// <summary>One de-identified instance in the research DICOMweb index.</summary>
/// <param name="StudyUid">De-identified Study Instance UID (as in the blob name).</param>
/// <param name="SeriesUid">De-identified Series Instance UID.</param>
/// <param name="InstanceUid">De-identified SOP Instance UID.</param>
/// <param name="TransferSyntax">The transfer syntax the copy is stored in.</param>
/// <param name="Length">The copy's size in bytes.</param>
/// <param name="Values">Attribute values by <see cref="ResearchIndexedTags.Key"/> (DICOM strings, padding removed).</param>
public sealed record ResearchDicomIndexEntry(string StudyUid, string SeriesUid, string InstanceUid, string TransferSyntax, long Length, IReadOnlyDictionary<string, string[]> Values);
