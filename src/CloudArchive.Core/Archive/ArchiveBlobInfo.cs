namespace CloudArchive.Core.Archive;

/// <summary>What the archive store reports about an existing blob.</summary>
/// <param name="Length">Stored (ciphertext) length in bytes.</param>
/// <param name="Metadata">The blob's metadata (names lowercase).</param>
public sealed record ArchiveBlobInfo(long Length, IReadOnlyDictionary<string, string> Metadata);
