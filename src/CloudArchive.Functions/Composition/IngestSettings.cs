using System.Globalization;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Policies;

namespace CloudArchive.Functions.Composition;

/// <summary>
/// The ingest configuration, read and checked in one place so that every problem is reported at start-up in one
/// message rather than at the first upload.
/// </summary>
public sealed class IngestSettings
{
    /// <summary>Configuration keys.</summary>
    public static class Keys
    {
        /// <summary><c>Local</c> (development only, insecure) or <c>KeyVault</c>.</summary>
        public const string KeyProvider = "CloudArchive:Keys:Provider";

        /// <summary>The local KEK directory (Local provider).</summary>
        public const string LocalKeyFile = "CloudArchive:Keys:LocalKeyFile";

        /// <summary>The Key Vault / Managed HSM key URI (KeyVault provider).</summary>
        public const string KeyId = "CloudArchive:Keys:KeyId";

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

        /// <summary>Temporary directory for minimized rewrites.</summary>
        public const string TempDirectory = "CloudArchive:Ingest:TempDirectory";

        /// <summary>The audit writer id (default: derived from the host instance id).</summary>
        public const string AuditWriterId = "CloudArchive:Audit:WriterId";

        /// <summary><c>true</c> (default) to create missing containers at start-up.</summary>
        public const string CreateContainers = "CloudArchive:Storage:CreateContainers";

        /// <summary>Container names (<c>CloudArchive:Containers:{Incoming,Archive,Quarantine,Keyring,Audit}</c>).</summary>
        public const string ContainersSection = "CloudArchive:Containers";
    }

    /// <summary>The KEK provider.</summary>
    public required string KeyProvider { get; init; }

    /// <summary>Local KEK directory (absolute).</summary>
    public string? LocalKeyPath { get; init; }

    /// <summary>Key Vault key URI.</summary>
    public Uri? KeyVaultKeyUri { get; init; }

    /// <summary>Retention policy files (absolute).</summary>
    public required IReadOnlyList<string> RetentionFiles { get; init; }

    /// <summary>Minimization policy file (absolute), or null for the built-in empty policy.</summary>
    public string? MinimizationFile { get; init; }

    /// <summary>Ingest options.</summary>
    public required IngestOptions Ingest { get; init; }

    /// <summary>Container names.</summary>
    public required IngestContainers Containers { get; init; }

    /// <summary>Audit writer id.</summary>
    public string? AuditWriterId { get; init; }

    /// <summary>Whether to create missing containers at start-up.</summary>
    public bool CreateContainers { get; init; } = true;

    /// <summary>Reads and validates the settings.</summary>
    /// <param name="get">Reads one key.</param>
    /// <param name="baseDirectory">Relative paths are resolved against it.</param>
    /// <exception cref="InvalidOperationException">Lists every problem.</exception>
    public static IngestSettings Read(Func<string, string?> get, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(get);
        var problems = new List<string>();
        var provider = Blank(get(Keys.KeyProvider)) ?? "Local";
        string? localKeyPath = null;
        Uri? keyUri = null;
        if (string.Equals(provider, "Local", StringComparison.OrdinalIgnoreCase))
        {
            provider = "Local";
            var path = Blank(get(Keys.LocalKeyFile));
            if (path is null)
            {
                problems.Add($"{Keys.LocalKeyFile} is required when {Keys.KeyProvider} is Local.");
            }
            else
            {
                localKeyPath = Path.GetFullPath(path, baseDirectory);
            }
        }
        else if (string.Equals(provider, "KeyVault", StringComparison.OrdinalIgnoreCase))
        {
            provider = "KeyVault";
            var id = Blank(get(Keys.KeyId));
            if (id is null || !Uri.TryCreate(id, UriKind.Absolute, out keyUri) || keyUri.Scheme != Uri.UriSchemeHttps)
            {
                problems.Add($"{Keys.KeyId} must be the https URI of the Key Vault key when {Keys.KeyProvider} is KeyVault.");
            }
        }
        else
        {
            problems.Add($"{Keys.KeyProvider} must be Local or KeyVault.");
        }

        var retention = IngestPolicies.SplitFileList(get(Keys.RetentionFiles), baseDirectory);
        if (retention.Count == 0)
        {
            problems.Add($"{Keys.RetentionFiles} must name at least one retention policy file.");
        }

        var minimization = Blank(get(Keys.MinimizationFile)) is { } m ? Path.GetFullPath(m, baseDirectory) : null;
        var options = new IngestOptions
        {
            Jurisdiction = Blank(get(Keys.Jurisdiction)),
            TempDirectory = Blank(get(Keys.TempDirectory)),
            AllowedSopClasses = (Blank(get(Keys.AllowedSopClasses)) ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        };
        foreach (var sopClass in options.AllowedSopClasses)
        {
            if (!DicomUid.TryNormalize(sopClass, out _, out var problem))
            {
                problems.Add($"{Keys.AllowedSopClasses}: an entry {problem}.");
            }
        }

        if (Blank(get(Keys.MaxInstanceBytes)) is { } max)
        {
            if (long.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) && bytes > 0)
            {
                options.MaxInstanceBytes = bytes;
            }
            else
            {
                problems.Add($"{Keys.MaxInstanceBytes} must be a positive number of bytes.");
            }
        }

        var containers = new IngestContainers
        {
            Incoming = Blank(get(Keys.ContainersSection + ":Incoming")) ?? "incoming",
            Archive = Blank(get(Keys.ContainersSection + ":Archive")) ?? "archive",
            Quarantine = Blank(get(Keys.ContainersSection + ":Quarantine")) ?? "quarantine",
            Keyring = Blank(get(Keys.ContainersSection + ":Keyring")) ?? "keyring",
            Audit = Blank(get(Keys.ContainersSection + ":Audit")) ?? "audit",
        };
        var writerId = Blank(get(Keys.AuditWriterId));
        if (writerId is not null && !Core.Audit.AuditBlobName.IsValidWriterId(writerId))
        {
            problems.Add($"{Keys.AuditWriterId} must match [a-z0-9][a-z0-9-]{{0,99}}.");
        }

        var create = Blank(get(Keys.CreateContainers));
        if (create is not null && !bool.TryParse(create, out _))
        {
            problems.Add($"{Keys.CreateContainers} must be true or false.");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Invalid ingest configuration:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", problems));
        }

        return new IngestSettings
        {
            KeyProvider = provider,
            LocalKeyPath = localKeyPath,
            KeyVaultKeyUri = keyUri,
            RetentionFiles = retention,
            MinimizationFile = minimization,
            Ingest = options,
            Containers = containers,
            AuditWriterId = writerId,
            CreateContainers = create is null || bool.Parse(create),
        };
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
