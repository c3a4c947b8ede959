using System.Reflection;

namespace CloudArchive.Research.Export;

/// <summary>Tuning of <see cref="ResearchExporter"/>.</summary>
public sealed record ResearchExportOptions
{
    /// <summary>Studies, and instances within them, processed at the same time. Default 2.</summary>
    public int MaxParallelism { get; init; } = 2;

    /// <summary>Directory for temporary files (DICOM spool, de-identified copies staged before release); null uses the system's.</summary>
    public string? TempDirectory { get; init; }

    /// <summary>The application code recorded in audit lines.</summary>
    public string AuditApp { get; init; } = "cloudarchive-export";

    /// <summary>The software version written to manifests and hashed into the ledger (default: Core's informational version).</summary>
    public string SoftwareVersion { get; init; } = DefaultSoftwareVersion;

    /// <summary>The informational version of this assembly.</summary>
    public static string DefaultSoftwareVersion { get; } =
        typeof(ResearchExportOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ResearchExportOptions).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}
