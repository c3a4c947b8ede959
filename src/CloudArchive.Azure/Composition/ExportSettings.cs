namespace CloudArchive.Azure.Composition;

/// <summary>Research export tuning (<c>CloudArchive:Export:*</c>).</summary>
public sealed class ExportSettings
{
    /// <summary>Studies (and instances within them) exported at the same time, 1 to 64 (default 2).</summary>
    public const string MaxParallelismKey = "CloudArchive:Export:MaxParallelism";

    /// <summary>Directory for the exporter's staged studies (default: the system temp directory).</summary>
    public const string TempDirectoryKey = "CloudArchive:Export:TempDirectory";

    /// <summary>Export parallelism.</summary>
    public int MaxParallelism { get; init; } = 2;

    /// <summary>Absolute temporary directory, or null for the system's.</summary>
    public string? TempDirectory { get; init; }
}
