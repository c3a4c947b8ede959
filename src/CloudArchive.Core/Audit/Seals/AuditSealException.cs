namespace CloudArchive.Core.Audit.Seals;

/// <summary>A seal cannot be made now (the hour is still open, or the hours before it are not sealed yet).</summary>
public sealed class AuditSealException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AuditSealException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AuditSealException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public AuditSealException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
