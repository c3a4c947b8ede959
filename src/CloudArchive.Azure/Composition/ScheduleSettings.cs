namespace CloudArchive.Azure.Composition;

/// <summary>
/// The schedules of the timer functions (<c>CloudArchive:Schedules:{Function}</c>, six-field NCRONTAB, UTC), which the
/// triggers name as <c>%CloudArchive:Schedules:{Function}%</c>. The defaults below are the lowest-priority configuration
/// source of the app, so any app setting or environment variable wins; in Azure the Functions host resolves the
/// expression from the app settings <c>infra/</c> writes.
/// </summary>
public static class ScheduleSettings
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CloudArchive:Schedules";

    /// <summary>The retention sweep's schedule (<c>RetentionSweep</c>).</summary>
    public const string RetentionSweepKey = Section + ":RetentionSweep";

    /// <summary>Setting key → default schedule.</summary>
    public static IReadOnlyDictionary<string, string> Defaults { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // Daily at 02:00 UTC: retention is counted in whole days, so more often finds nothing new.
        [RetentionSweepKey] = "0 0 2 * * *",
    };
}
