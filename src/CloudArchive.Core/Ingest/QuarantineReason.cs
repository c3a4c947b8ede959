namespace CloudArchive.Core.Ingest;

/// <summary>Why an upload was quarantined. <see cref="QuarantineReasonCodes"/> gives the stable machine code of each.</summary>
public enum QuarantineReason
{
    /// <summary>The upload has no bytes.</summary>
    Empty,

    /// <summary>The upload is larger than <see cref="IngestOptions.MaxInstanceBytes"/>.</summary>
    Oversized,

    /// <summary>The bytes are not DICOM at all (no Part 10 header and not parseable as a dataset).</summary>
    NotDicom,

    /// <summary>A DICOM dataset without the Part 10 preamble and File Meta Information.</summary>
    NotPart10,

    /// <summary>The File Meta Information lacks the Transfer Syntax UID.</summary>
    MissingTransferSyntax,

    /// <summary>The DICOM encoding is malformed (truncated, bad lengths, bad sequences...).</summary>
    DicomFormat,

    /// <summary>A deflated dataset exceeds the inflation limits.</summary>
    DeflateBomb,

    /// <summary>A required attribute is missing or empty.</summary>
    MissingAttribute,

    /// <summary>A required UID is not a well-formed UID.</summary>
    InvalidUid,

    /// <summary>The File Meta Information names another SOP instance or class than the dataset.</summary>
    MetaMismatch,

    /// <summary>The SOP class is not allowed by policy.</summary>
    SopClassNotAllowed,

    /// <summary>No retention rule applies.</summary>
    RetentionUndetermined,

    /// <summary>The study's key was crypto-shredded; the archive must not take new instances of it.</summary>
    StudyShredded,

    /// <summary>An instance with the same SOP Instance UID and different content is already archived.</summary>
    Conflict,

    /// <summary>The archived copy did not read back as valid.</summary>
    VerificationFailed,

    /// <summary>Every delivery of the upload's ingest event failed (poison queue); moved here by reconciliation.</summary>
    IngestFailed,
}
