namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>What the service answered to a committed <see cref="BlockUpload"/>.</summary>
/// <param name="ContentMd5">
/// Base64 MD5 the service computed over the content it committed, for a one-request write (Put Blob); null for a staged
/// write, whose Put Block List response hashes the block list, not the content.
/// </param>
public sealed record BlockUploadReceipt(string? ContentMd5);
