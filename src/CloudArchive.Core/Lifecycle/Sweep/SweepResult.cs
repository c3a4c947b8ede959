namespace CloudArchive.Core.Lifecycle.Sweep;

/// <summary>What a sweep run did.</summary>
public sealed record SweepResult
{
    /// <summary>The reference date: instances kept until a date before it were expired.</summary>
    public required DateOnly AsOf { get; init; }

    /// <summary>Expired instances found (held ones included).</summary>
    public long InstancesExpired { get; init; }

    /// <summary>Instances deleted (of partly expired studies and of shredded studies).</summary>
    public long InstancesDeleted { get; init; }

    /// <summary>Studies shredded completely.</summary>
    public long StudiesShredded { get; init; }

    /// <summary>Studies kept because a legal hold covers them.</summary>
    public long StudiesHeld { get; init; }

    /// <summary>Research copies withdrawn by the shreds.</summary>
    public long ResearchInstancesWithdrawn { get; init; }

    /// <summary>Quarantined uploads deleted (expired ones and those of shredded studies).</summary>
    public long QuarantineCopiesDeleted { get; init; }
}
