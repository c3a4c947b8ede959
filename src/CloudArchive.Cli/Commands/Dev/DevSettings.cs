using System.Globalization;
using System.Text.Json;
using CloudArchive.Azure.Identity;

namespace CloudArchive.Cli.Commands.Dev;

/// <summary>
/// The settings of the local archive: <c>local.settings.example.json</c>'s <c>Values</c> (the documented
/// defaults), made concrete for this checkout — the Azurite connection on the ports actually used, absolute
/// policy and key paths, the local host on. Written to <c>.cloudarchive/dev.env</c> so <c>status</c>,
/// <c>doctor</c>, <c>upload</c> and <c>audit</c> find the running archive without further setup.
/// </summary>
internal static class DevSettings
{
    public static Dictionary<string, string> Create(DevPaths paths, string connectionString)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var example = Path.Combine(paths.Root, "local.settings.example.json");
        if (File.Exists(example))
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(example));
            if (json.RootElement.TryGetProperty("Values", out var settings) && settings.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in settings.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.String)
                    {
                        values[property.Name] = property.Value.GetString()!;
                    }
                }
            }
        }

        values.TryAdd("FUNCTIONS_WORKER_RUNTIME", "dotnet-isolated");
        values.TryAdd("CloudArchive__Policies__RetentionFiles", "data/policies/retention/default.json");
        values.TryAdd("CloudArchive__Policies__MinimizationFile", "data/policies/minimization/default.json");
        values["AzureWebJobsStorage"] = connectionString;
        values["CloudArchiveQueues"] = connectionString;
        values["CloudArchive__Storage__ConnectionString"] = connectionString;
        values["CloudArchive__Keys__Provider"] = "Local";
        values["CloudArchive__Keys__LocalKeyFile"] = paths.Keys;
        values["CloudArchive__Storage__CreateContainers"] = "true";
        values["LocalHost__Enabled"] = "true";

        // The app validates tokens of the loopback development issuer exactly as it validates Entra ID's (docs/security.md).
        values["CloudArchive__Auth__TenantId"] = DevelopmentTokenIssuer.DefaultTenantId;
        values["CloudArchive__Auth__Audience"] = DevelopmentTokenIssuer.DefaultAudience;
        values["CloudArchive__Auth__DevelopmentIssuerKeyDirectory"] = paths.DevIssuer;
        values["CloudArchive__Policies__RetentionFiles"] = string.Join(';', values["CloudArchive__Policies__RetentionFiles"]
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => Path.GetFullPath(p, paths.Root)));
        values["CloudArchive__Policies__MinimizationFile"] = Path.GetFullPath(values["CloudArchive__Policies__MinimizationFile"], paths.Root);
        return values;
    }

    /// <summary>Writes the settings as <c>KEY=VALUE</c> lines (the development account key is public, nothing else secret is in here).</summary>
    public static async Task WriteEnvFileAsync(string path, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken)
    {
        var lines = new List<string>
        {
            "# Written by `cloudarchive dev up` for the local development archive (Azurite's public development key; INSECURE local key).",
            "# Read by cloudarchive status/doctor/upload/audit when run in this checkout. Regenerated on every `dev up`.",
        };
        lines.AddRange(values.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}={kv.Value}")));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllLinesAsync(path, lines, cancellationToken).ConfigureAwait(false);
    }
}
