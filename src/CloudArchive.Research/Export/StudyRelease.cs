namespace CloudArchive.Research.Export;

/// <summary>What the publish step releases for one archive study.</summary>
/// <param name="StudyKey">The opaque archive study key.</param>
/// <param name="Patient">The patient's pseudonym, if valid.</param>
/// <param name="ResearchStudyUid">The one research Study Instance UID the study maps to.</param>
/// <param name="SourceHash">Hash of the index records the copies are made from.</param>
/// <param name="Existing">The ledger entry of the previous release, if any.</param>
/// <param name="Kept">Copies of the previous release that stay as they are.</param>
/// <param name="Staged">New copies staged in the temporary directory.</param>
internal sealed record StudyRelease(
    string StudyKey,
    string? Patient,
    string ResearchStudyUid,
    string SourceHash,
    ExportLedgerEntry? Existing,
    IReadOnlyList<ExportLedgerInstance> Kept,
    IReadOnlyList<StagedInstance> Staged);
