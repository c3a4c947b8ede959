using System.Net;

namespace CloudArchive.Azure.Storage;

/// <summary>
/// A Blob or Queue Storage request the service answered with an unexpected status. Carries what a caller
/// needs to decide (status, <c>x-ms-error-code</c>) and what an operator needs to trace it (request id,
/// operation). The message never contains credentials, signatures, SAS tokens, blob names or request URIs.
/// </summary>
public sealed class StorageRequestException : Exception
{
    /// <summary>Creates the exception; <paramref name="serviceMessage"/> must already be free of secrets.</summary>
    public StorageRequestException(string operation, int status, string? errorCode, string? requestId, string? serviceMessage, Exception? innerException = null)
        : base(BuildMessage(operation, status, errorCode, requestId, serviceMessage), innerException)
    {
        Operation = operation;
        Status = status;
        ErrorCode = errorCode;
        RequestId = requestId;
    }

    /// <summary>The REST operation that failed, e.g. <c>PutBlob</c>, <c>AppendBlock</c>, <c>GetMessages</c>.</summary>
    public string Operation { get; }

    /// <summary>The HTTP status code.</summary>
    public int Status { get; }

    /// <summary>The service's error code (<c>x-ms-error-code</c> or the XML <c>Code</c>), e.g. <c>BlobAlreadyExists</c>.</summary>
    public string? ErrorCode { get; }

    /// <summary>The service's <c>x-ms-request-id</c>, for support requests and log correlation.</summary>
    public string? RequestId { get; }

    /// <summary>404: the container, blob, queue or message does not exist.</summary>
    public bool IsNotFound => Status == (int)HttpStatusCode.NotFound;

    /// <summary>409: already exists, lease held, snapshots present, or another state conflict.</summary>
    public bool IsConflict => Status == (int)HttpStatusCode.Conflict;

    /// <summary>Status 0: the service never answered (connection refused, DNS failure, timeout after the retries).</summary>
    public bool IsUnreachable => Status == 0;

    /// <summary>412: an ETag, lease or append-position condition did not hold.</summary>
    public bool IsPreconditionFailed => Status == (int)HttpStatusCode.PreconditionFailed;

    /// <summary>403 with an authentication error: bad or expired key/SAS/token, or clock skew.</summary>
    public bool IsAuthenticationFailure => Status == (int)HttpStatusCode.Forbidden &&
        (ErrorCode is null || ErrorCode.StartsWith("Authentication", StringComparison.Ordinal) || ErrorCode.StartsWith("Authorization", StringComparison.Ordinal));

    private static string BuildMessage(string operation, int status, string? errorCode, string? requestId, string? serviceMessage)
    {
        var text = $"Storage operation {operation} failed with status {status}";
        if (!string.IsNullOrEmpty(errorCode))
        {
            text += $" ({errorCode})";
        }

        text += ".";
        if (!string.IsNullOrEmpty(serviceMessage))
        {
            text += " " + serviceMessage;
        }

        if (status == (int)HttpStatusCode.Forbidden && (errorCode is null || errorCode.StartsWith("Authentication", StringComparison.Ordinal) || errorCode.StartsWith("Authorization", StringComparison.Ordinal)))
        {
            text += " Check that the account key, SAS or token is valid and not expired, that it grants this operation, and that the clock is correct.";
        }

        if (!string.IsNullOrEmpty(requestId))
        {
            text += $" Request id: {requestId}.";
        }

        return text;
    }
}
