namespace CloudArchive.Core.Audit;

/// <summary>An audit line is not a valid record of the audit line format.</summary>
public sealed class AuditFormatException : Exception
{
    /// <summary>Creates the exception. Messages name fields, never values (a tampered line could hold anything).</summary>
    public AuditFormatException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
