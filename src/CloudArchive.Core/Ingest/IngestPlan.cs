using CloudArchive.Core.Archive;
using CloudArchive.Core.Minimization;
using CloudArchive.Core.Retention;

namespace CloudArchive.Core.Ingest;

/// <summary>
/// What the ingest decided about one valid instance before writing it: its keys, retention, minimization and index
/// record (whose archived length is known only once the plaintext is ready).
/// </summary>
internal sealed class IngestPlan(string studyKey, string seriesKey, string? patient, string? accession, RetentionDecision retention, MinimizationReport minimization, InstanceIndexRecord record)
{
    public string StudyKey { get; } = studyKey;

    public string? Patient { get; } = patient;

    public RetentionDecision Retention { get; } = retention;

    public MinimizationReport Minimization { get; } = minimization;

    /// <summary>Whether the archived plaintext is a rewrite of the upload (values removed or File Meta repaired).</summary>
    public bool Rewrites => Minimization.Changed || record.MetaRepairs is { Count: > 0 };

    /// <summary>The index record, with the length of the plaintext that is archived.</summary>
    public InstanceIndexRecord Record(long archivedLength) => record with { ArchivedLength = archivedLength };

    /// <summary>The archive blob's index tags (what the lifecycle finds it by).</summary>
    public Dictionary<string, string> ArchiveTags() => new(StringComparer.Ordinal)
    {
        [ArchiveMetadata.StudyTag] = StudyKey,
        [ArchiveMetadata.PatientTag] = Patient ?? "none",
        [ArchiveMetadata.RetainUntilTag] = RetainUntilTag.ToTag(Retention.RetainUntil),
        [ArchiveMetadata.HoldTag] = "0",
        [ArchiveMetadata.SeriesTag] = seriesKey,
        [ArchiveMetadata.AccessionTag] = accession ?? "none",
    };
}
