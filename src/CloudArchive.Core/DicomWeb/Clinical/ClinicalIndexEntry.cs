using CloudArchive.Core.Archive;

namespace CloudArchive.Core.DicomWeb.Clinical;

/// <summary>One archived instance as the clinical index knows it: its decrypted index record.</summary>
/// <param name="Record">The decrypted index record (its <see cref="InstanceIndexRecord.Attributes"/> are what QIDO-RS matches and returns).</param>
public sealed record ClinicalIndexEntry(InstanceIndexRecord Record);
