using System.Globalization;

namespace CloudArchive.Functions.Composition;

/// <summary>
/// The research configuration (containers <c>control</c> and <c>research</c>, export tuning), read and checked at
/// start-up so that every problem is reported in one message.
/// </summary>
public sealed class ResearchSettings
{
    /// <summary>Configuration keys.</summary>
    public static class Keys
    {
        /// <summary>The admins-only container of agreements, consents, export ledger and admin manifests.</summary>
        public const string ControlContainer = "CloudArchive:Containers:Control";

        /// <summary>The container of de-identified research copies.</summary>
        public const string ResearchContainer = "CloudArchive:Containers:Research";

        /// <summary>Studies (and instances within them) exported at the same time (default 2).</summary>
        public const string MaxParallelism = "CloudArchive:Export:MaxParallelism";

        /// <summary>Directory for the exporter's temporary files (default: the system temp directory).</summary>
        public const string TempDirectory = "CloudArchive:Export:TempDirectory";
    }

    /// <summary>The <c>control</c> container name.</summary>
    public required string ControlContainer { get; init; }

    /// <summary>The <c>research</c> container name.</summary>
    public required string ResearchContainer { get; init; }

    /// <summary>Export parallelism.</summary>
    public int MaxParallelism { get; init; } = 2;

    /// <summary>Temporary directory, or null for the system's.</summary>
    public string? TempDirectory { get; init; }

    /// <summary>Reads and validates the settings.</summary>
    /// <exception cref="InvalidOperationException">Lists every problem.</exception>
    public static ResearchSettings Read(Func<string, string?> get, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(get);
        var problems = new List<string>();
        var parallelism = 2;
        if (Blank(get(Keys.MaxParallelism)) is { } p
            && (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out parallelism) || parallelism is < 1 or > 64))
        {
            problems.Add($"{Keys.MaxParallelism} must be a whole number from 1 to 64.");
        }

        var control = Blank(get(Keys.ControlContainer)) ?? "control";
        var research = Blank(get(Keys.ResearchContainer)) ?? "research";
        if (string.Equals(control, research, StringComparison.Ordinal))
        {
            // Researchers are granted the research container; the control container must never be it.
            problems.Add($"{Keys.ControlContainer} and {Keys.ResearchContainer} must name different containers.");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Invalid research configuration:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", problems));
        }

        return new ResearchSettings
        {
            ControlContainer = control,
            ResearchContainer = research,
            MaxParallelism = parallelism,
            TempDirectory = Blank(get(Keys.TempDirectory)) is { } t ? Path.GetFullPath(t, baseDirectory) : null,
        };
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
