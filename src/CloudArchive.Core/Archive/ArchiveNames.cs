namespace CloudArchive.Core.Archive;

/// <summary>Blob names in the <c>archive</c> container (opaque keys only, docs/architecture.md §2).</summary>
public static class ArchiveNames
{
    /// <summary>The encrypted instance: <c>studies/{studyKey}/{instanceKey}.dcm.enc</c>.</summary>
    public static string Instance(string studyKey, string instanceKey) => $"studies/{studyKey}/{instanceKey}.dcm.enc";

    /// <summary>The encrypted index record: <c>index/{studyKey}/{instanceKey}.json.enc</c>.</summary>
    public static string IndexRecord(string studyKey, string instanceKey) => $"index/{studyKey}/{instanceKey}.json.enc";
}
