using System.Globalization;
using CloudArchive.Azure.Storage;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Policies;
using CloudArchive.Dicom;

namespace CloudArchive.Azure.Composition;

/// <summary>
/// The one settings model of the archive (docs/architecture.md §7), read from configuration keys under
/// <c>CloudArchive:</c> by the function app, the CLI, the benchmarks and the test hosts alike. Reading never throws: every
/// problem is collected with the section it belongs to, so a host can refuse to start with one message listing them all
/// (<see cref="ThrowIfInvalid"/>), while a CLI command that only reads the audit log is not stopped by a key setting it
/// never uses.
/// </summary>
public sealed class CloudArchiveSettings
{
    /// <summary>Section names used in <see cref="Problems"/> and <see cref="ThrowIfInvalid"/>.</summary>
    public static class Sections
    {
        /// <summary><c>CloudArchive:Storage</c>.</summary>
        public const string Storage = "Storage";

        /// <summary><c>CloudArchive:Keys</c>.</summary>
        public const string Keys = "Keys";

        /// <summary><c>CloudArchive:Policies</c> and <c>CloudArchive:Retention</c>.</summary>
        public const string Policies = "Policies";

        /// <summary><c>CloudArchive:Ingest</c>.</summary>
        public const string Ingest = "Ingest";

        /// <summary><c>CloudArchive:Export</c> and the research containers.</summary>
        public const string Export = "Export";

        /// <summary><c>CloudArchive:Audit</c>.</summary>
        public const string Audit = "Audit";

        /// <summary><c>CloudArchive:Auth</c> (who the function app accepts tokens from).</summary>
        /// <remarks>
        /// Not in <see cref="All"/>: only a host that serves the API checks it (the function app, at start-up); the CLI,
        /// the benchmarks and the storage tests compose the archive without serving anyone.
        /// </remarks>
        public const string Auth = "Auth";

        /// <summary>Every section of the archive itself (see <see cref="Auth"/> for the one that is not).</summary>
        public static IReadOnlyList<string> All { get; } = [Storage, Keys, Policies, Ingest, Export, Audit];
    }

    /// <summary>Configuration keys outside the typed sections.</summary>
    public static class SettingKeys
    {
        /// <summary><c>;</c>-separated retention policy files.</summary>
        public const string RetentionFiles = "CloudArchive:Policies:RetentionFiles";

        /// <summary>The minimization policy file.</summary>
        public const string MinimizationFile = "CloudArchive:Policies:MinimizationFile";

        /// <summary>The jurisdiction for retention rules.</summary>
        public const string Jurisdiction = "CloudArchive:Retention:Jurisdiction";

        /// <summary>Largest accepted upload in bytes.</summary>
        public const string MaxInstanceBytes = "CloudArchive:Ingest:MaxInstanceBytes";

        /// <summary><c>;</c>-separated allowed SOP Class UIDs (empty: all).</summary>
        public const string AllowedSopClasses = "CloudArchive:Ingest:AllowedSopClasses";

        /// <summary><c>true</c> (default) to archive instances whose File Meta disagrees with the data set with a rebuilt meta.</summary>
        public const string RepairFileMeta = "CloudArchive:Ingest:RepairFileMeta";

        /// <summary>Days a quarantine copy is kept (default 30).</summary>
        public const string QuarantineRetentionDays = "CloudArchive:Ingest:QuarantineRetentionDays";

        /// <summary>Temporary directory for minimized rewrites.</summary>
        public const string IngestTempDirectory = "CloudArchive:Ingest:TempDirectory";

        /// <summary>The audit writer id (default: derived from the host, instance and process).</summary>
        public const string AuditWriterId = "CloudArchive:Audit:WriterId";

        /// <summary><c>true</c> (default) to create missing containers at start-up.</summary>
        public const string CreateContainers = "CloudArchive:Storage:CreateContainers";
    }

    private readonly List<(string Section, string Problem)> _problems;

    private CloudArchiveSettings(List<(string Section, string Problem)> problems) => _problems = problems;

    /// <summary>Storage account and client tuning.</summary>
    public required StorageOptions Storage { get; init; }

    /// <summary>Container names.</summary>
    public required ArchiveContainerNames Containers { get; init; }

    /// <summary>Key-encryption key settings.</summary>
    public required KeySettings Keys { get; init; }

    /// <summary>Who the function app accepts access tokens from.</summary>
    public required AuthSettings Auth { get; init; }

    /// <summary>Retention policy files (absolute).</summary>
    public required IReadOnlyList<string> RetentionFiles { get; init; }

    /// <summary>Minimization policy file (absolute), or null for the built-in empty policy.</summary>
    public string? MinimizationFile { get; init; }

    /// <summary>Ingest limits and jurisdiction.</summary>
    public required IngestOptions Ingest { get; init; }

    /// <summary>Research export tuning.</summary>
    public required ExportSettings Export { get; init; }

    /// <summary>The configured audit writer id, or null to derive one per process.</summary>
    public string? AuditWriterId { get; init; }

    /// <summary>Whether hosts create missing containers at start-up.</summary>
    public bool CreateContainers { get; init; } = true;

    /// <summary>Every problem found, with its section.</summary>
    public IReadOnlyList<(string Section, string Problem)> Problems => _problems;

    /// <summary>Throws <see cref="ArchiveConfigurationException"/> listing the problems of the named sections (all when none are named).</summary>
    public void ThrowIfInvalid(params string[] sections)
    {
        var wanted = sections.Length == 0 ? Sections.All : sections;
        var problems = _problems.Where(p => wanted.Contains(p.Section, StringComparer.Ordinal)).Select(p => p.Problem).ToList();
        if (problems.Count > 0)
        {
            throw new ArchiveConfigurationException("archive", problems);
        }
    }

    /// <summary>Reads the settings.</summary>
    /// <param name="get">Reads one configuration key (<c>CloudArchive:Storage:ConnectionString</c>, ...).</param>
    /// <param name="baseDirectory">Relative paths (policies, keys, temp directories) are resolved against it.</param>
    /// <param name="environment">Reads an environment variable (tests pass their own); see <see cref="KeySettings"/>.</param>
    public static CloudArchiveSettings Read(Func<string, string?> get, string baseDirectory, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(get);
        var problems = new List<(string, string)>();

        StorageOptions storage;
        try
        {
            storage = StorageOptions.FromSettings(get);
        }
        catch (FormatException ex)
        {
            problems.Add((Sections.Storage, ex.Message));
            storage = new StorageOptions();
        }

        if (storage.ConnectionString is null && storage.ServiceUri is null)
        {
            problems.Add((Sections.Storage, $"No storage account is configured: set {StorageOptions.SettingKeys.ConnectionString} (UseDevelopmentStorage=true for Azurite) or {StorageOptions.SettingKeys.ServiceUri}."));
        }

        var create = Blank(get(SettingKeys.CreateContainers));
        if (create is not null && !bool.TryParse(create, out _))
        {
            problems.Add((Sections.Storage, $"{SettingKeys.CreateContainers} must be true or false."));
        }

        var keys = KeySettings.Read(get, baseDirectory, environment);
        problems.AddRange(keys.Problems.Select(p => (Sections.Keys, p)));

        var auth = AuthSettings.Read(get, baseDirectory, environment);
        problems.AddRange(auth.Problems.Select(p => (Sections.Auth, p)));

        var retention = IngestPolicies.SplitFileList(get(SettingKeys.RetentionFiles), baseDirectory);
        if (retention.Count == 0)
        {
            problems.Add((Sections.Policies, $"{SettingKeys.RetentionFiles} must name at least one retention policy file."));
        }

        var ingest = ReadIngest(get, baseDirectory, problems);
        var containers = ArchiveContainerNames.Read(get);
        if (string.Equals(containers.Control, containers.Research, StringComparison.Ordinal))
        {
            // Researchers are granted the research container; the control container must never be it.
            problems.Add((Sections.Export, $"{ArchiveContainerNames.Section}:Control and {ArchiveContainerNames.Section}:Research must name different containers."));
        }

        var parallelism = 2;
        if (Blank(get(ExportSettings.MaxParallelismKey)) is { } p
            && (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out parallelism) || parallelism is < 1 or > 64))
        {
            problems.Add((Sections.Export, $"{ExportSettings.MaxParallelismKey} must be a whole number from 1 to 64."));
            parallelism = 2;
        }

        var writerId = Blank(get(SettingKeys.AuditWriterId));
        if (writerId is not null && !AuditBlobName.IsValidWriterId(writerId))
        {
            problems.Add((Sections.Audit, $"{SettingKeys.AuditWriterId} must match [a-z0-9][a-z0-9-]{{0,99}}."));
        }

        return new CloudArchiveSettings(problems)
        {
            Storage = storage,
            Containers = containers,
            Keys = keys,
            Auth = auth,
            RetentionFiles = retention,
            MinimizationFile = Blank(get(SettingKeys.MinimizationFile)) is { } m ? Path.GetFullPath(m, baseDirectory) : null,
            Ingest = ingest,
            Export = new ExportSettings
            {
                MaxParallelism = parallelism,
                TempDirectory = Blank(get(ExportSettings.TempDirectoryKey)) is { } t ? Path.GetFullPath(t, baseDirectory) : null,
            },
            AuditWriterId = writerId,
            CreateContainers = create is null || !bool.TryParse(create, out var c) || c,
        };
    }

    private static IngestOptions ReadIngest(Func<string, string?> get, string baseDirectory, List<(string, string)> problems)
    {
        var options = new IngestOptions
        {
            Jurisdiction = Blank(get(SettingKeys.Jurisdiction)),
            TempDirectory = Blank(get(SettingKeys.IngestTempDirectory)) is { } t ? Path.GetFullPath(t, baseDirectory) : null,
            AllowedSopClasses = (Blank(get(SettingKeys.AllowedSopClasses)) ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        };
        foreach (var sopClass in options.AllowedSopClasses)
        {
            if (!DicomUid.TryNormalize(sopClass, out _, out var problem))
            {
                problems.Add((Sections.Ingest, $"{SettingKeys.AllowedSopClasses}: an entry {problem}."));
            }
        }

        if (Blank(get(SettingKeys.MaxInstanceBytes)) is { } max)
        {
            if (long.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) && bytes > 0)
            {
                options.MaxInstanceBytes = bytes;
            }
            else
            {
                problems.Add((Sections.Ingest, $"{SettingKeys.MaxInstanceBytes} must be a positive number of bytes."));
            }
        }

        if (Blank(get(SettingKeys.RepairFileMeta)) is { } repair)
        {
            if (bool.TryParse(repair, out var value))
            {
                options.RepairFileMeta = value;
            }
            else
            {
                problems.Add((Sections.Ingest, $"{SettingKeys.RepairFileMeta} must be true or false."));
            }
        }

        if (Blank(get(SettingKeys.QuarantineRetentionDays)) is { } days)
        {
            if (int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= 36500)
            {
                options.QuarantineRetentionDays = value;
            }
            else
            {
                problems.Add((Sections.Ingest, $"{SettingKeys.QuarantineRetentionDays} must be a whole number of days from 1 to 36500."));
            }
        }

        return options;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
