namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>What happened to one delete of a batch.</summary>
public enum BlobBatchDeleteOutcome
{
    /// <summary>The blob was deleted (202).</summary>
    Deleted,

    /// <summary>The blob (or its container) did not exist (404).</summary>
    NotFound,

    /// <summary>A condition (e.g. <c>If-Match</c>) did not hold (412); the blob is untouched.</summary>
    PreconditionFailed,

    /// <summary>Any other status; <see cref="BlobBatchDeleteResult.Error"/> describes it.</summary>
    Failed,
}
