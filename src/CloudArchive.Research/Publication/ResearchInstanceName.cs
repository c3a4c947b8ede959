namespace CloudArchive.Research.Publication;

/// <summary>The parts of a research instance blob name (all UIDs de-identified).</summary>
/// <param name="AgreementId">The agreement.</param>
/// <param name="StudyUid">De-identified Study Instance UID.</param>
/// <param name="SeriesUid">De-identified Series Instance UID.</param>
/// <param name="InstanceUid">De-identified SOP Instance UID.</param>
public sealed record ResearchInstanceName(string AgreementId, string StudyUid, string SeriesUid, string InstanceUid);
