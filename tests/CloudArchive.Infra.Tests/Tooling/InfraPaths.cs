using System.Reflection;

namespace CloudArchive.Infra.Tests.Tooling;

/// <summary>Where infra/ and the Bicep CLI are, as fixed at build time (see the csproj).</summary>
internal static class InfraPaths
{
    public static string RepositoryRoot { get; } = Path.GetFullPath(Metadata("RepositoryRoot"));

    public static string Infra { get; } = Path.Combine(RepositoryRoot, "infra");

    public static string MainTemplate { get; } = Path.Combine(Infra, "main.bicep");

    public static string BicepConfig { get; } = Path.Combine(Infra, "bicepconfig.json");

    /// <summary>The bicep binary inside the restored Azure.Bicep.CommandLine.linux-x64 package.</summary>
    public static string BicepPackageExecutable { get; } = Metadata("BicepExecutable");

    /// <summary>Every .bicep file under infra/, sorted.</summary>
    public static IReadOnlyList<string> BicepFiles { get; } =
        [.. Directory.EnumerateFiles(Infra, "*.bicep", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    /// <summary>Every .bicepparam file under infra/, sorted.</summary>
    public static IReadOnlyList<string> ParameterFiles { get; } =
        [.. Directory.EnumerateFiles(Infra, "*.bicepparam", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    private static string Metadata(string key) =>
        typeof(InfraPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"Assembly metadata {key} is missing.");
}
