namespace CloudArchive.Core.DicomWeb.Query;

/// <summary>
/// A QIDO-RS query the origin server does not accept (answered 400 Bad Request). The message says what and why in
/// terms of the query's own parameter names; it never echoes a value.
/// </summary>
public sealed class QidoQueryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public QidoQueryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public QidoQueryException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public QidoQueryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
