using System.Globalization;
using CloudArchive.Core.Lifecycle.Fixity;
using CloudArchive.Core.Lifecycle.Reconcile;

namespace CloudArchive.Azure.Composition;

/// <summary>
/// The settings of the lifecycle timers' services: <c>CloudArchive:Reconcile:*</c> and <c>CloudArchive:Fixity:*</c>
/// (durations as <c>d.hh:mm:ss</c>). Each has a default, so an unset key is never a problem; a malformed one is, when a
/// service that uses it is first built.
/// </summary>
public sealed class LifecycleSettings
{
    /// <summary>Setting keys.</summary>
    public static class Keys
    {
        /// <summary>Age after which an upload still in incoming is re-enqueued.</summary>
        public const string ReconcileStaleAfter = "CloudArchive:Reconcile:StaleAfter";

        /// <summary>Poison messages handled per reconcile run.</summary>
        public const string ReconcileMaxPoisonMessages = "CloudArchive:Reconcile:MaxPoisonMessagesPerRun";

        /// <summary>Period within which the fixity sweep covers the whole archive.</summary>
        public const string FixityPeriod = "CloudArchive:Fixity:Period";

        /// <summary>How often the fixity sweep runs (its schedule's interval).</summary>
        public const string FixityRunInterval = "CloudArchive:Fixity:RunInterval";

        /// <summary>After this long a fixity run starts no new bucket.</summary>
        public const string FixityMaxRunDuration = "CloudArchive:Fixity:MaxRunDuration";
    }

    /// <summary>Reconcile's options.</summary>
    public required ReconcileOptions Reconcile { get; init; }

    /// <summary>The fixity sweep's options.</summary>
    public required FixityOptions Fixity { get; init; }

    /// <summary>Every problem found; empty when valid.</summary>
    public required IReadOnlyList<string> Problems { get; init; }

    /// <summary>Reads the settings.</summary>
    public static LifecycleSettings Read(Func<string, string?> get)
    {
        ArgumentNullException.ThrowIfNull(get);
        var problems = new List<string>();
        var reconcileDefaults = new ReconcileOptions();
        var fixityDefaults = new FixityOptions();
        var reconcile = new ReconcileOptions
        {
            StaleAfter = Duration(get, Keys.ReconcileStaleAfter, reconcileDefaults.StaleAfter, problems),
            MaxPoisonMessagesPerRun = Count(get, Keys.ReconcileMaxPoisonMessages, reconcileDefaults.MaxPoisonMessagesPerRun, problems),
        };
        var fixity = new FixityOptions
        {
            Period = Duration(get, Keys.FixityPeriod, fixityDefaults.Period, problems),
            RunInterval = Duration(get, Keys.FixityRunInterval, fixityDefaults.RunInterval, problems),
            MaxRunDuration = Duration(get, Keys.FixityMaxRunDuration, fixityDefaults.MaxRunDuration, problems),
        };
        problems.AddRange(reconcile.Validate());
        problems.AddRange(fixity.Validate());
        return new LifecycleSettings { Reconcile = reconcile, Fixity = fixity, Problems = problems };
    }

    /// <summary>Throws when a setting is malformed.</summary>
    /// <exception cref="ArchiveConfigurationException">A setting is invalid.</exception>
    public void ThrowIfInvalid()
    {
        if (Problems.Count > 0)
        {
            throw new ArchiveConfigurationException("lifecycle", Problems);
        }
    }

    private static TimeSpan Duration(Func<string, string?> get, string key, TimeSpan fallback, List<string> problems)
    {
        var text = get(key);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        problems.Add($"{key} must be a duration such as 90.00:00:00 (d.hh:mm:ss).");
        return fallback;
    }

    private static int Count(Func<string, string?> get, string key, int fallback, List<string> problems)
    {
        var text = get(key);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        problems.Add($"{key} must be a whole number.");
        return fallback;
    }
}
