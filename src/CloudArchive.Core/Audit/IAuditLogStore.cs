namespace CloudArchive.Core.Audit;

/// <summary>
/// The storage port of the audit log: append-only blobs with a conditional append (Azure append blobs
/// with <c>x-ms-blob-condition-appendpos</c>; an in-memory fake in tests). Names are relative to the
/// audit container.
/// </summary>
public interface IAuditLogStore
{
    /// <summary>The current length of a log blob in bytes, or null when it does not exist.</summary>
    Task<long?> GetLengthAsync(string blobName, CancellationToken cancellationToken);

    /// <summary>Creates an empty log blob unless it exists. Returns true when this call created it.</summary>
    Task<bool> CreateIfNotExistsAsync(string blobName, CancellationToken cancellationToken);

    /// <summary>
    /// Appends <paramref name="data"/> atomically if and only if the blob's length is exactly
    /// <paramref name="expectedLength"/> (the append-position condition).
    /// </summary>
    /// <returns><see cref="AuditAppendOutcome.Appended"/>, or <see cref="AuditAppendOutcome.PositionMismatch"/>
    /// when the blob has a different length (HTTP 412): nothing was written by this call.</returns>
    /// <exception cref="AuditStoreException">The blob does not exist or storage failed.</exception>
    Task<AuditAppendOutcome> AppendAsync(string blobName, ReadOnlyMemory<byte> data, long expectedLength, CancellationToken cancellationToken);

    /// <summary>Opens the blob for reading from <paramref name="offset"/> to its end.</summary>
    /// <exception cref="AuditStoreException">The blob does not exist or storage failed.</exception>
    Task<Stream> OpenReadAsync(string blobName, long offset, CancellationToken cancellationToken);

    /// <summary>Lists log blobs whose names start with <paramref name="prefix"/>, in name order.</summary>
    IAsyncEnumerable<AuditBlobInfo> ListAsync(string prefix, CancellationToken cancellationToken);
}
