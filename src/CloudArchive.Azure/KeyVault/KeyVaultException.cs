namespace CloudArchive.Azure.KeyVault;

/// <summary>
/// A Key Vault request failed. Carries the HTTP status, the service's error code and request id; never a token,
/// request body or key material.
/// </summary>
public sealed class KeyVaultException : ServiceRequestException
{
    /// <summary>Creates the exception; <paramref name="serviceMessage"/> must already be free of secrets.</summary>
    public KeyVaultException(string operation, int status, string? errorCode, string? serviceMessage, string? requestId, Exception? innerException = null)
        : base("Key Vault", operation, status, errorCode, requestId, serviceMessage, innerException)
    {
    }
}
