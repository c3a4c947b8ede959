using CloudArchive.Azure.Storage;

namespace CloudArchive.Cli.Commands.Common;

/// <summary>
/// The settings the operational commands share with the function app (docs/architecture.md §7): read from
/// environment variables with the same names (<c>CloudArchive__Storage__ConnectionString</c>, ...), then from
/// the state file <c>cloudarchive dev up</c> leaves in <c>.cloudarchive/dev.env</c>, with an explicit
/// <c>--connection-string</c> taking precedence over both.
/// </summary>
internal sealed class ArchiveSettings
{
    /// <summary>The state directory <c>dev up</c> uses (Azurite data, local key, dev.env), relative to the working directory.</summary>
    public const string StateDirectoryName = ".cloudarchive";

    /// <summary>The file <c>dev up</c> writes with the settings of the running development archive.</summary>
    public const string DevEnvironmentFileName = "dev.env";

    private readonly Dictionary<string, string> _values;

    private ArchiveSettings(Dictionary<string, string> values, string source)
    {
        _values = values;
        Source = source;
    }

    /// <summary>Where the connection string came from (for doctor/status output; never the value itself).</summary>
    public string Source { get; }

    /// <summary>Every setting, by configuration key.</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>Looks up a setting by its configuration key (<c>CloudArchive:Storage:ConnectionString</c>).</summary>
    public string? this[string key] => _values.TryGetValue(key, out var v) && v.Length > 0 ? v : null;

    /// <summary>The storage connection string, if configured.</summary>
    public string? ConnectionString => this[StorageOptions.SettingKeys.ConnectionString];

    /// <summary>Container name for a role (<c>Incoming</c>, <c>Archive</c>, ...), from <c>CloudArchive:Containers:{role}</c> or the default.</summary>
    public string Container(string role) => Azure.Composition.ArchiveContainerNames.Read(key => this[key]).For(role);

    /// <summary>
    /// Reads the settings, later sources winning: <c>.cloudarchive/dev.env</c> in the working directory, the
    /// environment, an explicit <paramref name="settingsFile"/> (<c>--settings</c>), the explicit connection string.
    /// </summary>
    public static ArchiveSettings Load(string? connectionString, string? settingsFile = null, string? workingDirectory = null)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var source = "environment";
        var devEnv = Path.Combine(workingDirectory ?? Environment.CurrentDirectory, StateDirectoryName, DevEnvironmentFileName);
        var fromFile = File.Exists(devEnv) ? ReadEnvFile(devEnv) : new Dictionary<string, string>();
        foreach (var (key, value) in fromFile)
        {
            values[key] = value;
        }

        var envHadConnection = false;
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var name = (string)entry.Key;
            if (name.StartsWith("CloudArchive__", StringComparison.OrdinalIgnoreCase) && entry.Value is string v && v.Length > 0)
            {
                var key = name.Replace("__", ":", StringComparison.Ordinal);
                values[key] = v;
                envHadConnection |= string.Equals(key, StorageOptions.SettingKeys.ConnectionString, StringComparison.OrdinalIgnoreCase);
            }
        }

        if (!envHadConnection && fromFile.ContainsKey(StorageOptions.SettingKeys.ConnectionString))
        {
            source = devEnv;
        }

        if (!string.IsNullOrWhiteSpace(settingsFile))
        {
            if (!File.Exists(settingsFile))
            {
                throw new UsageException($"Settings file '{settingsFile}' does not exist.");
            }

            foreach (var (key, value) in ReadEnvFile(settingsFile))
            {
                values[key] = value;
                if (string.Equals(key, StorageOptions.SettingKeys.ConnectionString, StringComparison.OrdinalIgnoreCase))
                {
                    source = settingsFile;
                }
            }
        }

        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            values[StorageOptions.SettingKeys.ConnectionString] = connectionString;
            source = "--connection-string";
        }

        return new ArchiveSettings(values, source);
    }

    /// <summary>Creates the settings from explicit values (tests, dev up).</summary>
    public static ArchiveSettings FromValues(IReadOnlyDictionary<string, string> values, string source) =>
        new(new Dictionary<string, string>(values, StringComparer.OrdinalIgnoreCase), source);

    /// <summary>Opens the storage connection or throws <see cref="UsageException"/> telling how to configure it.</summary>
    public StorageConnection Connect()
    {
        var options = StorageOptions.FromSettings(key => this[key]);
        if (options.ConnectionString is null && options.ServiceUri is null)
        {
            throw new UsageException(
                "No storage account is configured. Set CloudArchive__Storage__ConnectionString, pass --connection-string, or run `cloudarchive dev up` in this directory first.");
        }

        if (options.ConnectionString is null)
        {
            return StorageConnection.FromOptions(options, new global::Azure.Identity.DefaultAzureCredential());
        }

        return StorageConnection.FromOptions(options);
    }

    /// <summary>Parses <c>KEY=VALUE</c> lines (keys in <c>A:B</c> or <c>A__B</c> form); blank lines and <c>#</c> comments are skipped.</summary>
    public static Dictionary<string, string> ReadEnvFile(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in File.ReadAllLines(path))
        {
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed[0] == '#')
            {
                continue;
            }

            var eq = trimmed.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                values[trimmed[..eq].Trim().Replace("__", ":", StringComparison.Ordinal)] = trimmed[(eq + 1)..].Trim();
            }
        }

        return values;
    }
}
