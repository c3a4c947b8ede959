namespace CloudArchive.Research.Export;

/// <summary>One encrypted index record listed in the archive (<c>index/{studyKey}/{instanceKey}.json.enc</c>).</summary>
/// <param name="StudyKey">Opaque study key.</param>
/// <param name="InstanceKey">Opaque instance key.</param>
/// <param name="Version">The stored version of the record (the blob's ETag), or null when the store has none; a
/// changed version means the record was rewritten and the instance is exported again.</param>
public sealed record ArchiveIndexEntry(string StudyKey, string InstanceKey, string? Version);
