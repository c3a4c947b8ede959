using System.Globalization;
using CloudArchive.Core.Audit;

namespace CloudArchive.Azure.Composition;

/// <summary>
/// Which process composes the archive: names its audit writer and the actor its key operations are recorded under, and
/// says whether every setting is checked when the services are added (a host refuses to start on any problem) or only
/// when a service is first used (the CLI, whose commands each need a few).
/// </summary>
public sealed record CloudArchiveHost
{
    /// <summary>A short lowercase name used in audit writer ids (<c>functions</c>, <c>cli</c>, <c>bench</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The application recorded in audit lines (<c>cloudarchive-functions</c>, <c>cloudarchive-cli</c>).</summary>
    public required string AuditApp { get; init; }

    /// <summary>The actor of key operations (study key created, shredded, rewrapped).</summary>
    public required AuditActor KeyActor { get; init; }

    /// <summary>Relative paths in the configuration are resolved against it.</summary>
    public string BaseDirectory { get; init; } = Environment.CurrentDirectory;

    /// <summary>True: all settings and the policy files are checked in <c>AddCloudArchive</c>.</summary>
    public bool ValidateOnStart { get; init; }

    /// <summary>The function app: everything validated at start-up.</summary>
    public static CloudArchiveHost Functions(string baseDirectory) => new()
    {
        Name = "functions",
        AuditApp = "cloudarchive-functions",
        KeyActor = new AuditActor("svc:cloudarchive-ingest", app: "cloudarchive-functions", role: "ingest"),
        BaseDirectory = baseDirectory,
        ValidateOnStart = true,
    };

    /// <summary>The operator CLI: settings checked by the services a command uses.</summary>
    public static CloudArchiveHost Cli(string baseDirectory) => new()
    {
        Name = "cli",
        AuditApp = "cloudarchive-cli",
        KeyActor = new AuditActor("cli:cloudarchive", app: "cloudarchive-cli"),
        BaseDirectory = baseDirectory,
    };

    /// <summary>An audit writer id unique to this process: host name, instance, process id and a random suffix.</summary>
    public string NewWriterId() =>
        AuditBlobName.WriterIdFrom(string.Create(CultureInfo.InvariantCulture,
            $"{Name}-{Environment.GetEnvironmentVariable(KeySettings.AzureInstanceVariable) ?? Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}"));
}
