namespace CloudArchive.Core.Ingest;

/// <summary>What an import audit line records (<see cref="ImportAuditDetails.Outcome"/>).</summary>
public enum ImportAuditOutcome
{
    /// <summary>Encrypted into the archive (or resumed).</summary>
    Archived,

    /// <summary>Already archived; the upload was removed.</summary>
    Duplicate,

    /// <summary>Refused and kept in quarantine.</summary>
    Quarantined,

    /// <summary>Refused and deleted without a copy (its study was crypto-shredded).</summary>
    Discarded,
}
