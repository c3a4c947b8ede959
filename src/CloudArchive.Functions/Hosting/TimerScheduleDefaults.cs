namespace CloudArchive.Functions.Hosting;

/// <summary>
/// The default of each timer's schedule setting (<c>CloudArchive:Schedules:{Function}</c>), added beneath every other
/// configuration source so an app setting (infra/modules/function-app.bicep) or <c>LocalHost:Schedules:*</c>
/// overrides it. Under the Functions host the host itself resolves <c>%Setting%</c> from app settings, which is why
/// the Bicep sets the same values.
/// </summary>
public static class TimerScheduleDefaults
{
    /// <summary>Setting key → six-field NCRONTAB schedule.</summary>
    public static IReadOnlyDictionary<string, string?> Values { get; } = new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        [Lifecycle.Reconcile.ScheduleSetting] = "0 */15 * * * *",
        [Lifecycle.FixitySweep.ScheduleSetting] = "0 30 2 * * *",
    };

    /// <summary>Inserts the defaults as the lowest-precedence source.</summary>
    public static void AddTo(IConfigurationBuilder configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = Values });
    }
}
