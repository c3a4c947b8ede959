using System.Net;

namespace CloudArchive.Azure;

/// <summary>
/// A request to an Azure service (Storage, Key Vault) that was refused or got no answer: what a caller needs to decide
/// (status, the service's error code) and what an operator needs to trace it (operation, request id). The message never
/// contains credentials, signatures, SAS tokens, blob names or request URIs; subclasses say which service.
/// </summary>
public abstract class ServiceRequestException : Exception
{
    /// <summary>Creates the exception; <paramref name="serviceMessage"/> must already be free of secrets.</summary>
    protected ServiceRequestException(string service, string operation, int status, string? errorCode, string? requestId, string? serviceMessage, Exception? innerException)
        : base(BuildMessage(service, operation, status, errorCode, requestId, serviceMessage), innerException)
    {
        Operation = operation;
        Status = status;
        ErrorCode = errorCode;
        RequestId = requestId;
    }

    /// <summary>The operation that failed, e.g. <c>PutBlob</c>, <c>AppendBlock</c>, <c>unwrapkey</c>.</summary>
    public string Operation { get; }

    /// <summary>The HTTP status code; 0 when the service never answered.</summary>
    public int Status { get; }

    /// <summary>The service's error code, e.g. <c>BlobAlreadyExists</c> or <c>KeyNotFound</c>.</summary>
    public string? ErrorCode { get; }

    /// <summary>The service's request id, for support requests and log correlation.</summary>
    public string? RequestId { get; }

    /// <summary>404: what was asked for does not exist.</summary>
    public bool IsNotFound => Status == (int)HttpStatusCode.NotFound;

    /// <summary>Status 0: the service never answered (connection refused, DNS failure, timeout after the retries).</summary>
    public bool IsUnreachable => Status == 0;

    /// <summary>401, or 403 with an authentication error: bad or expired key/SAS/token, or clock skew.</summary>
    public bool IsAuthenticationFailure => IsAuthError(Status, ErrorCode);

    private static bool IsAuthError(int status, string? errorCode) =>
        status == (int)HttpStatusCode.Unauthorized || (status == (int)HttpStatusCode.Forbidden &&
        (errorCode is null || errorCode.StartsWith("Authentication", StringComparison.Ordinal) || errorCode.StartsWith("Authorization", StringComparison.Ordinal)));

    private static string BuildMessage(string service, string operation, int status, string? errorCode, string? requestId, string? serviceMessage)
    {
        var text = $"{service} operation {operation} failed with status {status}";
        if (!string.IsNullOrEmpty(errorCode))
        {
            text += $" ({errorCode})";
        }

        text += ".";
        if (!string.IsNullOrEmpty(serviceMessage))
        {
            text += " " + (serviceMessage.Length > 300 ? serviceMessage[..300] + "..." : serviceMessage);
        }

        if (IsAuthError(status, errorCode))
        {
            // Storage takes a key, a SAS or a token; Key Vault only tokens.
            var credential = service == "Storage" ? "account key, SAS or token" : "token";
            text += $" Check that the {credential} is valid and not expired, that it grants this operation, and that the clock is correct.";
        }

        if (!string.IsNullOrEmpty(requestId))
        {
            text += $" Request id: {requestId}.";
        }

        return text;
    }
}
