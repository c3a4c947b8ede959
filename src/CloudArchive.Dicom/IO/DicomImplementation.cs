namespace CloudArchive.Dicom;

/// <summary>CloudArchive's identity in the file meta group of every file it writes.</summary>
public static class DicomImplementation
{
    /// <summary>
    /// Implementation Class UID (0002,0012): <c>2.25.</c> followed by the decimal value of the fixed UUID
    /// <c>6f3c2a1e-9b4d-4e8a-b7c5-2d1f0e9a8c47</c> (PS3.5 B.2 UUID-derived UID, owned by CloudArchive).
    /// </summary>
    public const string ClassUid = "2.25.147856699629749615062019545055547264071";

    /// <summary>Implementation Version Name (0002,0013).</summary>
    public const string VersionName = "CLOUDARCHIVE_01";
}
