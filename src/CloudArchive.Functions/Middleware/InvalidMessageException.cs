namespace CloudArchive.Functions.Middleware;

/// <summary>
/// A queue message cannot be processed as sent (wrong shape, undecodable text, an event this function does not handle).
/// The invocation fails like any other, so the host retries and finally moves the message to the poison queue, where an
/// operator sees it: nothing is dropped. Messages never contain the uploader's blob name (it may contain patient data).
/// </summary>
public sealed class InvalidMessageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InvalidMessageException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
