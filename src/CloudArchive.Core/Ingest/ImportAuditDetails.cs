namespace CloudArchive.Core.Ingest;

/// <summary>
/// The detail codes of an import (110107) audit line, written by the ingest and read back by tools that report what
/// became of an upload (<c>dev up</c>'s demo, <c>upload --wait</c>): one definition for both sides.
/// </summary>
public static class ImportAuditDetails
{
    /// <summary>Encrypted into the archive.</summary>
    public const string Archived = "archived";

    /// <summary>Archived by a redelivery that finished an interrupted ingest.</summary>
    public const string Resumed = "resumed";

    /// <summary>Already archived; the upload was removed.</summary>
    public const string Duplicate = "duplicate";

    /// <summary>Refused and kept in quarantine; followed by <see cref="ReasonPrefix"/> and the reason code.</summary>
    public const string Quarantined = "quarantined";

    /// <summary>Refused and deleted, never kept (a new instance of a crypto-shredded study); followed by <see cref="ReasonPrefix"/>.</summary>
    public const string Discarded = "discarded";

    /// <summary>Prefix of the quarantine reason code detail.</summary>
    public const string ReasonPrefix = "reason=";

    /// <summary>Prefix of the quarantine id detail of a quarantined upload (<c>quarantine-id=</c>).</summary>
    public const string QuarantineIdPrefix = "quarantine-id=";

    /// <summary>Prefix of a File Meta repair detail of an archived upload (<c>meta-repaired=</c>, one per field).</summary>
    public const string MetaRepairedPrefix = "meta-repaired=";

    /// <summary>The detail recording one File Meta repair (<see cref="Ingest.MetaRepairs"/> code).</summary>
    public static string MetaRepaired(string field) => MetaRepairedPrefix + field;

    /// <summary>The quarantine id of an import line, or null.</summary>
    public static string? QuarantineIdOf(IReadOnlyList<string> details) =>
        details.FirstOrDefault(d => d.StartsWith(QuarantineIdPrefix, StringComparison.Ordinal))?[QuarantineIdPrefix.Length..];

    /// <summary>The File Meta repairs an import line records.</summary>
    public static IReadOnlyList<string> MetaRepairsOf(IReadOnlyList<string> details) =>
        details.Where(d => d.StartsWith(MetaRepairedPrefix, StringComparison.Ordinal)).Select(d => d[MetaRepairedPrefix.Length..]).ToArray();

    /// <summary>What an import line says happened.</summary>
    public static ImportAuditOutcome Outcome(IReadOnlyList<string> details)
    {
        ArgumentNullException.ThrowIfNull(details);
        return details.Contains(Quarantined) ? ImportAuditOutcome.Quarantined
            : details.Contains(Discarded) ? ImportAuditOutcome.Discarded
            : details.Contains(Duplicate) ? ImportAuditOutcome.Duplicate
            : ImportAuditOutcome.Archived;
    }

    /// <summary>The quarantine reason code of an import line, or null.</summary>
    public static string? Reason(IReadOnlyList<string> details) =>
        details.FirstOrDefault(d => d.StartsWith(ReasonPrefix, StringComparison.Ordinal))?[ReasonPrefix.Length..];

    /// <summary>The uploader's reference (<see cref="UploadReference"/>) of an import line, or null.</summary>
    public static string? UploadReferenceOf(IReadOnlyList<string> details) =>
        details.FirstOrDefault(d => d.StartsWith(UploadReference.DetailPrefix, StringComparison.Ordinal))?[UploadReference.DetailPrefix.Length..];
}
