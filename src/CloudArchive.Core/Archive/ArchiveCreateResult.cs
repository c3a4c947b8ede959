namespace CloudArchive.Core.Archive;

/// <summary>The outcome of a create-only archive write.</summary>
/// <param name="Created">False when a blob of that name already existed (nothing was written).</param>
/// <param name="ContentMd5">
/// Base64 MD5 of the whole committed content as the storage service computed it when the blob was written in one
/// request; null when the store cannot vouch for the whole content that way (staged blocks, or a store without a
/// receipt). With it, the writer can check what was committed against what it sent without reading the blob back.
/// </param>
public sealed record ArchiveCreateResult(bool Created, string? ContentMd5 = null);
