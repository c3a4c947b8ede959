namespace CloudArchive.Core.DicomWeb.Clinical;

/// <summary>Why the clinical DICOMweb root refused a caller.</summary>
public enum ClinicalDenialReason
{
    /// <summary>The token lacks the <c>Archive.Read</c> app role.</summary>
    MissingRole,

    /// <summary>No purpose of use header was sent.</summary>
    MissingPurpose,

    /// <summary>The stated purpose of use is not one the archive accepts.</summary>
    UnknownPurpose,
}
