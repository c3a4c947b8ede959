namespace CloudArchive.Core.Crypto;

/// <summary>The local development KEK could not be created, loaded or used safely.</summary>
public sealed class LocalKeyException : Exception
{
    /// <summary>Creates the exception with a secret-free message.</summary>
    public LocalKeyException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
