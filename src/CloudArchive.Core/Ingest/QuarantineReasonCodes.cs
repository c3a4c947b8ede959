namespace CloudArchive.Core.Ingest;

/// <summary>Stable machine codes of <see cref="QuarantineReason"/> (used in reason files, results and audit details).</summary>
public static class QuarantineReasonCodes
{
    /// <summary>The code of a reason, e.g. <c>not-dicom</c>.</summary>
    public static string For(QuarantineReason reason) => reason switch
    {
        QuarantineReason.Empty => "empty",
        QuarantineReason.Oversized => "oversized",
        QuarantineReason.NotDicom => "not-dicom",
        QuarantineReason.NotPart10 => "not-part10",
        QuarantineReason.MissingTransferSyntax => "missing-transfer-syntax",
        QuarantineReason.DicomFormat => "dicom-format",
        QuarantineReason.DeflateBomb => "deflate-bomb",
        QuarantineReason.MissingAttribute => "missing-attribute",
        QuarantineReason.InvalidUid => "invalid-uid",
        QuarantineReason.MetaMismatch => "meta-mismatch",
        QuarantineReason.SopClassNotAllowed => "sop-class-not-allowed",
        QuarantineReason.RetentionUndetermined => "retention-undetermined",
        QuarantineReason.StudyShredded => "study-shredded",
        QuarantineReason.Conflict => "conflict",
        QuarantineReason.VerificationFailed => "verification-failed",
        QuarantineReason.IngestFailed => "ingest-failed",
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };

    /// <summary>The <see cref="IngestResult.ReasonCode"/> of a quarantine, e.g. <c>quarantine.not-dicom</c>.</summary>
    public static string ResultCode(QuarantineReason reason) => "quarantine." + For(reason);
}
