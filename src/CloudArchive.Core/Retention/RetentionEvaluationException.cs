namespace CloudArchive.Core.Retention;

/// <summary>
/// No rule of the policy applies to an instance (e.g. a jurisdiction without rules and no fallback).
/// A configuration problem: the archive must not invent a retention period, so ingest quarantines.
/// </summary>
public sealed class RetentionEvaluationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RetentionEvaluationException(string message)
        : base(message)
    {
    }
}
