namespace CloudArchive.Core.Lifecycle.Fixity;

/// <summary>Settings of the fixity sweep (<c>CloudArchive:Fixity:*</c>).</summary>
public sealed class FixityOptions
{
    /// <summary>The whole archive is verified once within this period (default 90 days).</summary>
    public TimeSpan Period { get; init; } = TimeSpan.FromDays(90);

    /// <summary>How often the sweep runs (its schedule; default daily): each run verifies that share of the period.</summary>
    public TimeSpan RunInterval { get; init; } = TimeSpan.FromDays(1);

    /// <summary>A run starts no new bucket after this long, so it ends well inside the function timeout; the next run continues.</summary>
    public TimeSpan MaxRunDuration { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>The problems found; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Period < TimeSpan.FromHours(1))
        {
            problems.Add("CloudArchive:Fixity:Period must be at least one hour.");
        }

        if (RunInterval <= TimeSpan.Zero || RunInterval > Period)
        {
            problems.Add("CloudArchive:Fixity:RunInterval must be positive and not longer than the period.");
        }

        if (MaxRunDuration <= TimeSpan.Zero)
        {
            problems.Add("CloudArchive:Fixity:MaxRunDuration must be positive.");
        }

        return problems;
    }
}
