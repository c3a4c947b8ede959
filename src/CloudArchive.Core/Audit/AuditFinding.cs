namespace CloudArchive.Core.Audit;

/// <summary>One problem found by <see cref="AuditLogVerifier"/>: where and what.</summary>
/// <param name="BlobName">The blob.</param>
/// <param name="LineNumber">1-based line number in the blob (0 for blob-level findings).</param>
/// <param name="Kind">The kind of problem.</param>
/// <param name="Message">Explanation, including the likely tampering (never the line's content).</param>
/// <param name="Expected">The expected value (hash or sequence number), when applicable.</param>
/// <param name="Actual">The value found, when applicable.</param>
public sealed record AuditFinding(string BlobName, int LineNumber, AuditFindingKind Kind, string Message, string? Expected = null, string? Actual = null)
{
    /// <summary>Formats as <c>blob:line: Kind: message (expected X, actual Y)</c>.</summary>
    public override string ToString() =>
        $"{BlobName}:{LineNumber}: {Kind}: {Message}" + (Expected is null && Actual is null ? "" : $" (expected {Expected}, actual {Actual})");
}
