namespace CloudArchive.Core.Audit;

/// <summary>The audit store could not perform an operation (missing blob, storage failure).</summary>
public sealed class AuditStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="blobName">The blob concerned (audit blob names hold no patient data).</param>
    /// <param name="message">What failed.</param>
    /// <param name="isNotFound">True when the blob does not exist.</param>
    /// <param name="innerException">The underlying error.</param>
    public AuditStoreException(string blobName, string message, bool isNotFound = false, Exception? innerException = null)
        : base($"Audit blob '{blobName}': {message}", innerException)
    {
        BlobName = blobName;
        IsNotFound = isNotFound;
    }

    /// <summary>The blob concerned.</summary>
    public string BlobName { get; }

    /// <summary>True when the blob does not exist.</summary>
    public bool IsNotFound { get; }
}
