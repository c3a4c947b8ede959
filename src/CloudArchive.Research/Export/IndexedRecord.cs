using CloudArchive.Core.Archive;

namespace CloudArchive.Research.Export;

/// <summary>One listed index record of a study with its decrypted content.</summary>
/// <param name="Entry">The record as the catalog listed it.</param>
/// <param name="Record">Its decrypted content.</param>
internal sealed record IndexedRecord(ArchiveIndexEntry Entry, InstanceIndexRecord Record);
