namespace CloudArchive.Core.Ingest.Quarantine;

/// <summary>A quarantine operation was refused or failed; the message names the id and the reason, never patient data.</summary>
public sealed class QuarantineException : Exception
{
    /// <summary>Creates the exception.</summary>
    public QuarantineException(QuarantineFailureReason reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
    }

    /// <summary>Why.</summary>
    public QuarantineFailureReason Reason { get; }
}
