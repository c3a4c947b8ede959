namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>One page of a listing.</summary>
/// <param name="Items">The entries of this page.</param>
/// <param name="ContinuationToken">The marker for the next page, or null after the last page.</param>
public sealed record BlobPage(IReadOnlyList<BlobItem> Items, string? ContinuationToken);
