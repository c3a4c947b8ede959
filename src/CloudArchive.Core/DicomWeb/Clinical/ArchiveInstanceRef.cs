namespace CloudArchive.Core.DicomWeb.Clinical;

/// <summary>An archived instance found through the index: its opaque study and instance keys.</summary>
/// <param name="StudyKey">Opaque study key.</param>
/// <param name="InstanceKey">Opaque instance key.</param>
public sealed record ArchiveInstanceRef(string StudyKey, string InstanceKey);
