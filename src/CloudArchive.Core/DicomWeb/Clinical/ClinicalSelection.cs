namespace CloudArchive.Core.DicomWeb.Clinical;

/// <summary>The instances a WADO-RS request targets, or why there are none.</summary>
/// <param name="Status">Found, not found, or gone (shredded).</param>
/// <param name="StudyKey">The target study's opaque key (for the audit line).</param>
/// <param name="Instances">The instances with their index records, in series/instance key order.</param>
public sealed record ClinicalSelection(ClinicalSelectionStatus Status, string StudyKey, IReadOnlyList<ClinicalIndexEntry> Instances);
