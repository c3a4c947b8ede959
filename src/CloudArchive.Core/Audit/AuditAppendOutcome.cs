namespace CloudArchive.Core.Audit;

/// <summary>Result of a conditional append.</summary>
public enum AuditAppendOutcome
{
    /// <summary>The data was appended at the expected position.</summary>
    Appended,

    /// <summary>The blob's length was not the expected one; nothing was appended.</summary>
    PositionMismatch,
}
