namespace CloudArchive.Core.Audit;

/// <summary>
/// The writer cannot chain to a blob's last line because that line is incomplete or not a valid record.
/// Writing on would hide the damage, so the writer stops and the caller must alert (110113) and
/// investigate with <c>cloudarchive audit verify</c>.
/// </summary>
public sealed class AuditLogCorruptException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AuditLogCorruptException(string blobName, string message, Exception? innerException = null)
        : base($"Audit blob '{blobName}' cannot be continued: {message}", innerException)
    {
        BlobName = blobName;
    }

    /// <summary>The damaged blob.</summary>
    public string BlobName { get; }
}
