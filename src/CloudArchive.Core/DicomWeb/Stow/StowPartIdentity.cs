namespace CloudArchive.Core.DicomWeb.Stow;

/// <summary>
/// The identifying UIDs of one STOW-RS part, read from the head of its data set while it streams in (never from the
/// archive). UIDs are patient-adjacent: they go into the response to the sender and nowhere else (never into logs).
/// Each is null when the head did not contain it or the part is not readable DICOM.
/// </summary>
/// <param name="SopClassUid">SOP Class UID (0008,0016), or the File Meta's Media Storage SOP Class UID.</param>
/// <param name="SopInstanceUid">SOP Instance UID (0008,0018), or the File Meta's Media Storage SOP Instance UID.</param>
/// <param name="StudyInstanceUid">Study Instance UID (0020,000D).</param>
/// <param name="SeriesInstanceUid">Series Instance UID (0020,000E).</param>
public sealed record StowPartIdentity(string? SopClassUid, string? SopInstanceUid, string? StudyInstanceUid, string? SeriesInstanceUid)
{
    /// <summary>Nothing known about the part.</summary>
    public static StowPartIdentity Unknown { get; } = new(null, null, null, null);

    /// <summary>True when all four UIDs are known (the Retrieve URL of the instance can be formed).</summary>
    public bool IsComplete => SopClassUid is not null && SopInstanceUid is not null && StudyInstanceUid is not null && SeriesInstanceUid is not null;
}
