namespace CloudArchive.Research.Export;

/// <summary>The index records of one archive study, as listed.</summary>
/// <param name="StudyKey">The opaque study key.</param>
/// <param name="Entries">Its index records.</param>
internal sealed record StudyIndexGroup(string StudyKey, IReadOnlyList<ArchiveIndexEntry> Entries);
