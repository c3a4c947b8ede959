namespace CloudArchive.Core.Ingest;

/// <summary>Names of the plaintext metadata and index tags CloudArchive sets on archive blobs (values never contain PHI).</summary>
public static class ArchiveMetadata
{
    /// <summary>Keyed MAC (HMAC-SHA256, hex) of the upload as received: equal MACs mean an identical re-upload.</summary>
    public const string UploadMac = "ca_uploadmac";

    /// <summary>Keyed MAC (HMAC-SHA256, hex) of the archived plaintext (the upload, or its minimized rewrite).</summary>
    public const string PlainMac = "ca_plainmac";

    /// <summary>Length of the upload as received.</summary>
    public const string UploadLength = "ca_uploadlength";

    /// <summary>Index tag: the opaque study key.</summary>
    public const string StudyTag = "ca-study";

    /// <summary>Index tag: the patient pseudonym (or <c>none</c>).</summary>
    public const string PatientTag = "ca-patient";

    /// <summary>Index tag: keep at least until the end of this date (<c>yyyy-MM-dd</c>).</summary>
    public const string RetainUntilTag = "ca-retain-until";

    /// <summary>Index tag: legal hold, <c>0</c> or <c>1</c>.</summary>
    public const string HoldTag = "ca-hold";
}
