namespace CloudArchive.Core.Lifecycle.Reconcile;

/// <summary>Settings of reconciliation (<c>CloudArchive:Reconcile:*</c>).</summary>
public sealed class ReconcileOptions
{
    /// <summary>An upload still in <c>incoming</c> this long after it was written has lost its event (default 1 hour).</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromHours(1);

    /// <summary>At most this many poison messages are handled per run; the next run takes the rest.</summary>
    public int MaxPoisonMessagesPerRun { get; init; } = 500;

    /// <summary>The problems found; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (StaleAfter < TimeSpan.FromMinutes(1))
        {
            problems.Add("CloudArchive:Reconcile:StaleAfter must be at least one minute.");
        }

        if (MaxPoisonMessagesPerRun < 1)
        {
            problems.Add("CloudArchive:Reconcile:MaxPoisonMessagesPerRun must be at least 1.");
        }

        return problems;
    }
}
