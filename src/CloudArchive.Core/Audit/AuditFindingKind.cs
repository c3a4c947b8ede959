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
}
