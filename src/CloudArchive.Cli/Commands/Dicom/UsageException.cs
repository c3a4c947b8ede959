namespace CloudArchive.Cli.Commands.Dicom;

/// <summary>A command-line argument is invalid in a way the parser cannot see (e.g. an unknown transfer syntax).</summary>
public sealed class UsageException : Exception
{
    /// <summary>Creates the exception with the message shown to the user.</summary>
    public UsageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public UsageException()
        : base("invalid arguments")
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
