namespace CloudArchive.Functions.Research;

/// <summary>One published instance in a listing (JSON: <c>sopInstanceUid</c>, <c>bytes</c>).</summary>
/// <param name="SopInstanceUid">De-identified SOP Instance UID.</param>
/// <param name="Bytes">Size of the DICOM file.</param>
public sealed record InstanceView(string SopInstanceUid, long Bytes);
