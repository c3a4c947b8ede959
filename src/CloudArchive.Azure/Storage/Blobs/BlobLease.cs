using Azure;

namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>A lease held on a blob.</summary>
/// <param name="LeaseId">The id to present (<see cref="BlobRequestConditions.LeaseId"/>) on writes.</param>
/// <param name="ETag">The blob's ETag when the lease action completed.</param>
public sealed record BlobLease(string LeaseId, ETag? ETag);
