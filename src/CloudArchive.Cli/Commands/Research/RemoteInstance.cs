namespace CloudArchive.Cli.Commands.Research;

/// <summary>An instance as the researcher API lists it, with the series it belongs to.</summary>
/// <param name="StudyInstanceUid">De-identified Study Instance UID.</param>
/// <param name="SeriesInstanceUid">De-identified Series Instance UID.</param>
/// <param name="SopInstanceUid">De-identified SOP Instance UID.</param>
/// <param name="Bytes">Size.</param>
internal sealed record RemoteInstance(string StudyInstanceUid, string SeriesInstanceUid, string SopInstanceUid, long Bytes);
