namespace CloudArchive.Core.Lifecycle.Sweep;

/// <summary>Sweep tuning.</summary>
public sealed class RetentionSweepOptions
{
    /// <summary>Instances per Find Blobs by Tags page (the service's maximum is 5,000).</summary>
    public int PageSize { get; init; } = 1000;

    /// <summary>Studies handled at once (each a few storage round trips and audit lines; the audit writer group-commits them).</summary>
    public int MaxParallelism { get; init; } = 8;
}
