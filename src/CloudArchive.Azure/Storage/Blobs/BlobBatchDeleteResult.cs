using System.Net;

namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>The outcome of one delete of a batch, as the service reported it for that sub-request.</summary>
public sealed class BlobBatchDeleteResult
{
    private BlobBatchDeleteResult(int status, string? errorCode, string? requestId, StorageRequestException? failure)
    {
        Status = status;
        ErrorCode = errorCode;
        RequestId = requestId;
        Outcome = status switch
        {
            >= 200 and < 300 => BlobBatchDeleteOutcome.Deleted,
            (int)HttpStatusCode.NotFound => BlobBatchDeleteOutcome.NotFound,
            (int)HttpStatusCode.PreconditionFailed => BlobBatchDeleteOutcome.PreconditionFailed,
            _ => BlobBatchDeleteOutcome.Failed,
        };
        Error = Outcome == BlobBatchDeleteOutcome.Failed
            ? failure ?? new StorageRequestException("DeleteBlob", status, errorCode, requestId, null)
            : null;
    }

    /// <summary>Deleted, not found, precondition failed, or failed otherwise.</summary>
    public BlobBatchDeleteOutcome Outcome { get; }

    /// <summary>The sub-request's HTTP status.</summary>
    public int Status { get; }

    /// <summary>The service's <c>x-ms-error-code</c> for this sub-request, if any.</summary>
    public string? ErrorCode { get; }

    /// <summary>The sub-request's <c>x-ms-request-id</c>, if any.</summary>
    public string? RequestId { get; }

    /// <summary>For <see cref="BlobBatchDeleteOutcome.Failed"/>: the failure as the exception a single delete would have thrown.</summary>
    public StorageRequestException? Error { get; }

    /// <summary>True when the blob was deleted.</summary>
    public bool IsDeleted => Outcome == BlobBatchDeleteOutcome.Deleted;

    /// <summary>A sub-response's outcome; <paramref name="serviceMessage"/> must already be free of secrets.</summary>
    internal static BlobBatchDeleteResult FromStatus(int status, string? errorCode, string? requestId, string? serviceMessage) =>
        new(status, errorCode, requestId, status is >= 200 and < 300 ? null : new StorageRequestException("DeleteBlob", status, errorCode, requestId, serviceMessage));

    /// <summary>The outcome of a plain Delete Blob that the service refused.</summary>
    internal static BlobBatchDeleteResult FromException(StorageRequestException exception) =>
        new(exception.Status, exception.ErrorCode, exception.RequestId, exception);

    /// <summary>The outcome of a plain Delete Blob that succeeded.</summary>
    internal static BlobBatchDeleteResult Accepted() => new(202, null, null, null);
}
