namespace CloudArchive.Azure.KeyVault;

/// <summary>
/// A Key Vault request failed. Carries the HTTP status, the service's error code and request id; never a token,
/// request body or key material.
/// </summary>
public sealed class KeyVaultException : Exception
{
    /// <summary>Creates the exception.</summary>
    public KeyVaultException(string operation, int status, string? errorCode, string? serviceMessage, string? requestId, Exception? innerException = null)
        : base(Format(operation, status, errorCode, serviceMessage, requestId), innerException)
    {
        Operation = operation;
        Status = status;
        ErrorCode = errorCode;
        RequestId = requestId;
    }

    /// <summary>The operation attempted (e.g. <c>wrapkey</c>).</summary>
    public string Operation { get; }

    /// <summary>The HTTP status (0 when no response was received).</summary>
    public int Status { get; }

    /// <summary>The Key Vault error code (<c>error.code</c>), e.g. <c>KeyNotFound</c>, <c>Forbidden</c>.</summary>
    public string? ErrorCode { get; }

    /// <summary>The <c>x-ms-request-id</c> to quote to Azure support.</summary>
    public string? RequestId { get; }

    private static string Format(string operation, int status, string? code, string? message, string? requestId)
    {
        var text = $"Key Vault {operation} failed with status {status}";
        if (code is not null)
        {
            text += $" ({code})";
        }

        if (!string.IsNullOrEmpty(message))
        {
            text += ": " + (message.Length > 300 ? message[..300] + "…" : message);
        }

        if (requestId is not null)
        {
            text += $" [request {requestId}]";
        }

        return text;
    }
}
