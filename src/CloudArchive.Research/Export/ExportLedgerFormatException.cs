namespace CloudArchive.Research.Export;

/// <summary>A stored ledger entry cannot be used (malformed JSON, wrong schema, names outside its agreement). Says where, never a value.</summary>
public sealed class ExportLedgerFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="blobName">The ledger blob (opaque keys only).</param>
    /// <param name="reason">What is wrong.</param>
    public ExportLedgerFormatException(string blobName, string reason)
        : base($"Export ledger entry {blobName}: {reason}")
    {
        BlobName = blobName;
        Reason = reason;
    }

    /// <summary>The ledger blob.</summary>
    public string BlobName { get; }

    /// <summary>What is wrong.</summary>
    public string Reason { get; }
}
