namespace CloudArchive.Core.Archive;

/// <summary>Names of the plaintext metadata and index tags CloudArchive sets on archive blobs (values never contain PHI).</summary>
public static class ArchiveMetadata
{
    /// <summary>Keyed MAC (HMAC-SHA256, hex) of the upload as received: equal MACs mean an identical re-upload.</summary>
    public const string UploadMac = "ca_uploadmac";

    /// <summary>Keyed MAC (HMAC-SHA256, hex) of the archived plaintext (the upload, or its minimized rewrite).</summary>
    public const string PlainMac = "ca_plainmac";

    /// <summary>Length of the upload as received.</summary>
    public const string UploadLength = "ca_uploadlength";

    /// <summary>
    /// Keyed MAC of the incoming container, blob name and ETag of the upload that produced the archive blob: only a
    /// redelivery of that same upload (still in place) may complete an interrupted ingest; any other upload with the
    /// same content, a later re-upload to the same name included, is a duplicate.
    /// </summary>
    public const string SourceMac = "ca_sourcemac";

    /// <summary>Index tag: the opaque study key.</summary>
    public const string StudyTag = "ca_study";

    /// <summary>Index tag: the patient pseudonym (or <c>none</c>).</summary>
    public const string PatientTag = "ca_patient";

    /// <summary>Index tag: the opaque series key (HMAC of the SeriesInstanceUID), for clinical QIDO-RS.</summary>
    public const string SeriesTag = "ca_series";

    /// <summary>Index tag: the accession pseudonym (<see cref="Keys.AccessionPseudonymizer"/>, or <c>none</c>), for clinical QIDO-RS.</summary>
    public const string AccessionTag = "ca_accession";

    /// <summary>Index tag: keep at least until the end of this date (<c>yyyy-MM-dd</c>).</summary>
    public const string RetainUntilTag = "ca_retain_until";

    /// <summary>Index tag: legal hold, <c>0</c> or <c>1</c>.</summary>
    public const string HoldTag = "ca_hold";
}
