namespace CloudArchive.Functions.Research;

/// <summary>One published study in a listing (JSON: <c>studyInstanceUid</c>, <c>seriesCount</c>, <c>instanceCount</c>, <c>bytes</c>).</summary>
/// <param name="StudyInstanceUid">De-identified Study Instance UID.</param>
/// <param name="SeriesCount">Series published.</param>
/// <param name="InstanceCount">Instances published.</param>
/// <param name="Bytes">Total size of the instances.</param>
public sealed record StudyView(string StudyInstanceUid, int SeriesCount, int InstanceCount, long Bytes);
