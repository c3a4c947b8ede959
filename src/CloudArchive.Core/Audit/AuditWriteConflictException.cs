namespace CloudArchive.Core.Audit;

/// <summary>The writer lost the append race more often than allowed (another process appends to the same
/// writer's blob; writer ids must be unique per process).</summary>
public sealed class AuditWriteConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AuditWriteConflictException(string blobName, int attempts)
        : base($"Audit blob '{blobName}': the append position changed on each of {attempts} attempts; is another process using the same writer id?")
    {
        BlobName = blobName;
        Attempts = attempts;
    }

    /// <summary>The contended blob.</summary>
    public string BlobName { get; }

    /// <summary>How many attempts were made.</summary>
    public int Attempts { get; }
}
