namespace CloudArchive.Core.Ingest;

/// <summary>How an upload ended.</summary>
public enum IngestOutcome
{
    /// <summary>Encrypted into the archive; the upload was deleted.</summary>
    Archived,

    /// <summary>The identical instance was already archived; the upload was deleted.</summary>
    Duplicate,

    /// <summary>Moved to quarantine with a reason file; the upload was deleted.</summary>
    Quarantined,

    /// <summary>Deleted without a copy (a new instance of a crypto-shredded study); the deletion was audited.</summary>
    Discarded,

    /// <summary>The upload no longer exists (a re-delivered event for an upload already handled).</summary>
    AlreadyHandled,
}
