using CloudArchive.Functions.Lifecycle;

namespace CloudArchive.Functions.Hosting;

/// <summary>
/// The default of every timer's schedule setting (<c>CloudArchive:Schedules:{Function}</c>), added beneath all other
/// configuration so any app setting, environment variable or dev.env value wins. In Azure the Functions host resolves
/// <c>%Setting%</c> from app settings, so infra sets the same values there.
/// </summary>
public static class TimerScheduleDefaults
{
    /// <summary>Setting → default NCRONTAB schedule.</summary>
    public static IReadOnlyDictionary<string, string?> Values { get; } = new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        [AuditSeal.ScheduleSetting] = AuditSeal.DefaultSchedule,
        [RetentionSweep.ScheduleSetting] = RetentionSweep.DefaultSchedule,
        [Reconcile.ScheduleSetting] = Reconcile.DefaultSchedule,
        [FixitySweep.ScheduleSetting] = FixitySweep.DefaultSchedule,
    };

    /// <summary>Adds the defaults as the lowest-priority configuration source.</summary>
    public static void AddTo(IConfigurationBuilder configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = Values });
    }
}
