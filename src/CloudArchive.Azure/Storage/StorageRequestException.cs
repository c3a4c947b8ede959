using System.Net;

namespace CloudArchive.Azure.Storage;

/// <summary>
/// A Blob or Queue Storage request the service refused or did not answer (<see cref="StorageErrors"/> makes it from
/// the SDK's failure). The message never contains credentials, signatures, SAS tokens, blob names or request URIs.
/// </summary>
public sealed class StorageRequestException : ServiceRequestException
{
    /// <summary>Creates the exception; <paramref name="serviceMessage"/> must already be free of secrets.</summary>
    public StorageRequestException(string operation, int status, string? errorCode, string? requestId, string? serviceMessage, Exception? innerException = null)
        : base("Storage", operation, status, errorCode, requestId, serviceMessage, innerException)
    {
    }

    /// <summary>409: already exists, lease held, snapshots present, or another state conflict.</summary>
    public bool IsConflict => Status == (int)HttpStatusCode.Conflict;

    /// <summary>412: an ETag, lease or append-position condition did not hold.</summary>
    public bool IsPreconditionFailed => Status == (int)HttpStatusCode.PreconditionFailed;
}
