using System.Globalization;

namespace CloudArchive.Cli.Commands.Dev;

/// <summary>
/// The shortened timer schedules <c>dev up --fast-timers</c> (and <c>--demo</c>) give the local host, so a demo shows
/// the lifecycle timers at work within a minute instead of an hour or a day. Each entry is a timer function's name and
/// a six-field NCRONTAB schedule; the production schedules stay in settings (<c>CloudArchive:Schedules:{Function}</c>).
/// </summary>
internal static class FastTimerSchedules
{
    /// <summary>Function name → shortened schedule.</summary>
    public static IReadOnlyDictionary<string, string> Schedules { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // Timer functions add their demo schedule here, e.g. ["RetentionSweep"] = "0 */2 * * * *".
        ["AuditSeal"] = "30 * * * * *",
        ["Reconcile"] = "0 * * * * *",
        ["FixitySweep"] = "30 */2 * * * *",
        ["RetentionSweep"] = "30 * * * * *",
    };

    /// <summary>The local host settings (environment form) that apply <see cref="Schedules"/>.</summary>
    public static IReadOnlyDictionary<string, string> Environment() =>
        Schedules.ToDictionary(s => string.Create(CultureInfo.InvariantCulture, $"LocalHost__Schedules__{s.Key}"), s => s.Value, StringComparer.Ordinal);
}
