namespace CloudArchive.Core.Audit;

/// <summary>
/// One line of the audit log: an <see cref="AuditEvent"/> with the fields the writer adds.
/// </summary>
/// <param name="Sequence">1-based position of the line in its blob.</param>
/// <param name="PreviousHash">The chain value of the previous line's bytes (without its line feed), or the blob's
/// genesis value for the first line: HMAC-SHA256 under the chain key in format v2, SHA-256 in legacy v1 (<see cref="AuditChain"/>).</param>
/// <param name="Time">When the line was written, UTC, 100 ns precision.</param>
/// <param name="WriterId">The writer that appended it (also part of the blob name).</param>
/// <param name="Event">What happened.</param>
public sealed record AuditRecord(long Sequence, string PreviousHash, DateTimeOffset Time, string WriterId, AuditEvent Event)
{
    /// <summary>The line format: <see cref="AuditLineSerializer.KeyedFormatVersion"/> (HMAC chain, what the writer
    /// produces with a chain key) or <see cref="AuditLineSerializer.FormatVersion"/> (legacy unkeyed chain).</summary>
    public int FormatVersion { get; init; } = AuditLineSerializer.FormatVersion;
}
