namespace CloudArchive.Core.Lifecycle;

/// <summary>A lifecycle operation (hold, erasure, sweep) refused or failed for a stated reason. Messages carry opaque ids only.</summary>
public sealed class LifecycleException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LifecycleException(LifecycleFailureReason reason, string message)
        : base(message) => Reason = reason;

    /// <summary>Why.</summary>
    public LifecycleFailureReason Reason { get; }
}
