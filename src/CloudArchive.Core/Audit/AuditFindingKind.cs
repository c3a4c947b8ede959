namespace CloudArchive.Core.Audit;

/// <summary>What a verification finding is about.</summary>
public enum AuditFindingKind
{
    /// <summary>The line's <c>prevHash</c> is not the hash of the line before it (or of the genesis value):
    /// the previous line was modified, or lines were deleted, inserted or reordered here.</summary>
    ChainBroken,

    /// <summary>The line's <c>seq</c> is not its position: lines were deleted (seq too high) or inserted or
    /// reordered (seq too low).</summary>
    SequenceMismatch,

    /// <summary>The line is not a valid audit record.</summary>
    Malformed,

    /// <summary>The line is valid but not in canonical form, so it was not written by the audit writer.</summary>
    NonCanonical,

    /// <summary>The line's writer id or time does not belong to the blob it is in.</summary>
    MisplacedLine,

    /// <summary>The blob does not end with a line feed (a partial line).</summary>
    IncompleteLastLine,

    /// <summary>The blob's name is not a valid audit blob name.</summary>
    UnexpectedBlob,

    /// <summary>The line uses the keyed chain (v2) but the verifier had no chain key to check it.</summary>
    ChainUnverifiable,

    /// <summary>The blob is shorter than its seal recorded (lines or bytes removed at its end, or recreated empty).</summary>
    Truncated,

    /// <summary>A blob the seal recorded no longer exists.</summary>
    BlobDeleted,

    /// <summary>The blob's sealed lines no longer hash to the seal's Merkle root (rewritten, even with a recomputed chain).</summary>
    BlobRewritten,

    /// <summary>A closed hour has no seal, or an hour inside the sealed range lacks one.</summary>
    SealMissing,

    /// <summary>A seal does not chain to the seal of the hour before it (a seal was removed or replaced).</summary>
    SealChainGap,

    /// <summary>A seal's signature does not verify with the seal signing key, or the seal is unreadable.</summary>
    SealSignatureInvalid,

    /// <summary>A blob of a sealed hour that the seal does not list, or lines appended to a sealed blob after sealing.</summary>
    UnsealedContent,
}
