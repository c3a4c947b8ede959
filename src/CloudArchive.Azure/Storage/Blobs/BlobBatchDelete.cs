namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>One delete of a Blob Batch (<see cref="BlobContainerClient.DeleteBatchAsync"/>) or of a <see cref="BlobDeleteBatcher"/>.</summary>
/// <param name="BlobName">The blob to delete, unescaped (as given to <see cref="BlobContainerClient.GetBlob"/>).</param>
/// <param name="Conditions">Conditions the delete must meet (ETag, lease, tags); a failed ETag is <see cref="BlobBatchDeleteOutcome.PreconditionFailed"/>.</param>
/// <param name="IncludeSnapshots">Also delete the blob's snapshots (<c>x-ms-delete-snapshots: include</c>).</param>
public sealed record BlobBatchDelete(string BlobName, BlobRequestConditions? Conditions = null, bool IncludeSnapshots = false)
{
    internal BlobDeleteOptions ToDeleteOptions() => new() { Conditions = Conditions, IncludeSnapshots = IncludeSnapshots };
}
