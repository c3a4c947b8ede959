namespace CloudArchive.Core.Ingest.Quarantine;

/// <summary>Why a quarantine operation was refused or failed.</summary>
public enum QuarantineFailureReason
{
    /// <summary>No quarantined upload has this id.</summary>
    NotFound,

    /// <summary>The upload's copy is gone (it was retried already); the reason document remains.</summary>
    CopyGone,

    /// <summary>A legal hold covers the upload's study: nothing of it is deleted.</summary>
    LegalHold,

    /// <summary>The copy cannot be decrypted (its study was crypto-shredded, or the key is missing or wrong).</summary>
    Undecryptable,

    /// <summary>The reason document is not a readable quarantine reason.</summary>
    CorruptReason,
}
