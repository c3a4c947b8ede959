using System.Reflection;
using CloudArchive.Testing;

namespace CloudArchive.Cli.Tests.Operations;

/// <summary>The binaries the <c>dev up</c> tests run: the built function app and this CLI.</summary>
internal static class DevUpBinaries
{
    /// <summary>The function app built next to this test assembly (artifacts layout) or in the project's bin folder.</summary>
    public static string FunctionsDll()
    {
        var here = AppContext.BaseDirectory;
        // Built in the same configuration as this test assembly (Debug locally, Release in CI).
        var configuration = typeof(DevUpBinaries).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var candidates = new[]
        {
            Path.GetFullPath(Path.Combine(here, "..", "..", "CloudArchive.Functions", configuration.ToLowerInvariant(), "CloudArchive.Functions.dll")),
            Path.Combine(RepositoryPaths.FindRoot(), "src", "CloudArchive.Functions", "bin", configuration, "net10.0", "CloudArchive.Functions.dll"),
        };
        return candidates.FirstOrDefault(File.Exists) ?? throw new FileNotFoundException("CloudArchive.Functions.dll not built: " + string.Join(", ", candidates));
    }

    /// <summary>The CLI (copied next to this test assembly by the project reference), to run as its own process.</summary>
    public static string CliDll() => Path.Combine(AppContext.BaseDirectory, typeof(CliApp).Assembly.GetName().Name + ".dll");

    /// <summary>The <c>dotnet</c> that runs the tests when known, else the one on PATH.</summary>
    public static string DotnetHost() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
