namespace CloudArchive.Core.Audit;

/// <summary>
/// One line of the audit log: an <see cref="AuditEvent"/> with the fields the writer adds.
/// </summary>
/// <param name="Sequence">1-based position of the line in its blob.</param>
/// <param name="PreviousHash">Lowercase hex SHA-256 of the previous line's bytes (without its line feed), or
/// the blob's genesis hash for the first line (<see cref="AuditChain.GenesisHash"/>).</param>
/// <param name="Time">When the line was written, UTC, 100 ns precision.</param>
/// <param name="WriterId">The writer that appended it (also part of the blob name).</param>
/// <param name="Event">What happened.</param>
public sealed record AuditRecord(long Sequence, string PreviousHash, DateTimeOffset Time, string WriterId, AuditEvent Event);
