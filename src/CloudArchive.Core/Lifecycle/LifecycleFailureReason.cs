namespace CloudArchive.Core.Lifecycle;

/// <summary>Why a lifecycle operation failed.</summary>
public enum LifecycleFailureReason
{
    /// <summary>A request field is missing or malformed.</summary>
    InvalidRequest,

    /// <summary>No hold has the given id.</summary>
    HoldNotFound,

    /// <summary>A stored lifecycle document is not valid.</summary>
    CorruptDocument,

    /// <summary>Concurrent writers kept changing a document; the operation gave up after retrying.</summary>
    Contention,
}
