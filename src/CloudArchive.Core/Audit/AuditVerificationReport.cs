namespace CloudArchive.Core.Audit;

/// <summary>The result of verifying audit blobs.</summary>
/// <param name="BlobsChecked">How many blobs were read.</param>
/// <param name="LinesChecked">How many lines were read.</param>
/// <param name="Findings">Every problem found, by blob and line.</param>
public sealed record AuditVerificationReport(int BlobsChecked, long LinesChecked, IReadOnlyList<AuditFinding> Findings)
{
    /// <summary>How many of the lines checked use the legacy unkeyed chain (format v1): accepted, with a note.</summary>
    public long LegacyLines { get; init; }

    /// <summary>True when nothing was found.</summary>
    public bool IsIntact => Findings.Count == 0;
}
