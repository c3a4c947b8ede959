using CloudArchive.Core.Archive;

namespace CloudArchive.Core.DicomWeb.Clinical;

/// <summary>An archived instance opened for reading: its blob name, length and metadata, and its plaintext length.</summary>
/// <param name="BlobName">The instance blob's name (<see cref="ArchiveNames.Instance"/>).</param>
/// <param name="Info">The blob's ciphertext length and metadata.</param>
/// <param name="PlainLength">The decrypted instance's length in bytes.</param>
public sealed record ArchivedInstance(string BlobName, ArchiveBlobInfo Info, long PlainLength);
