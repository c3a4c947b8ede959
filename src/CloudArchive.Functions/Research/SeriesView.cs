namespace CloudArchive.Functions.Research;

/// <summary>One published series in a listing (JSON: <c>seriesInstanceUid</c>, <c>instanceCount</c>, <c>bytes</c>).</summary>
/// <param name="SeriesInstanceUid">De-identified Series Instance UID.</param>
/// <param name="InstanceCount">Instances published.</param>
/// <param name="Bytes">Total size of the instances.</param>
public sealed record SeriesView(string SeriesInstanceUid, int InstanceCount, long Bytes);
