namespace CloudArchive.Azure.Storage;

/// <summary>
/// A storage connection would send an account key signature, a SAS or a bearer token over plain HTTP to a host that is
/// not this machine. The message names the endpoint's host and scheme, never the secret.
/// </summary>
public sealed class InsecureStorageTransportException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InsecureStorageTransportException(string message)
        : base(message)
    {
    }
}
