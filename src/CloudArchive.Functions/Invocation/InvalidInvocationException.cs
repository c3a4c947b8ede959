namespace CloudArchive.Functions.Invocation;

/// <summary>
/// The invocation's payload cannot be processed as sent (wrong shape, undecodable queue text, an event
/// this function does not handle). Answered with 400: the host counts it as a failure, retries and
/// finally moves the message to the poison queue, where an operator can see it; nothing is dropped.
/// Messages never contain the uploader's blob name (it may contain patient data).
/// </summary>
public sealed class InvalidInvocationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InvalidInvocationException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
