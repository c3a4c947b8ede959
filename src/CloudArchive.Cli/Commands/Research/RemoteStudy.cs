namespace CloudArchive.Cli.Commands.Research;

/// <summary>A study as the researcher API lists it.</summary>
/// <param name="StudyInstanceUid">De-identified Study Instance UID.</param>
/// <param name="SeriesCount">Series published.</param>
/// <param name="InstanceCount">Instances published.</param>
/// <param name="Bytes">Total size.</param>
internal sealed record RemoteStudy(string StudyInstanceUid, int SeriesCount, int InstanceCount, long Bytes);
