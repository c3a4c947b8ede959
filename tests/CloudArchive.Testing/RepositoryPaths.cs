namespace CloudArchive.Testing;

/// <summary>Finds the repository root (the directory holding <c>CloudArchive.sln</c>) from wherever tests or benchmarks run.</summary>
public static class RepositoryPaths
{
    /// <summary>The solution file that marks the root.</summary>
    public const string SolutionFileName = "CloudArchive.sln";

    /// <summary>Environment variable that, when set, names the repository root explicitly.</summary>
    public const string RootVariable = "CLOUDARCHIVE_REPO_ROOT";

    /// <summary>
    /// Finds the directory holding <see cref="SolutionFileName"/>: <see cref="RootVariable"/> if set, else walking
    /// up from the binaries, then from the current directory, then the checkout this assembly was built from
    /// (binaries built with <c>--artifacts-path</c> live outside the checkout). Throws
    /// <see cref="DirectoryNotFoundException"/> naming the places tried.
    /// </summary>
    public static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable(RootVariable) is { Length: > 0 } explicitRoot)
        {
            return File.Exists(Path.Combine(explicitRoot, SolutionFileName))
                ? Path.GetFullPath(explicitRoot)
                : throw new DirectoryNotFoundException($"{RootVariable}='{explicitRoot}' does not contain {SolutionFileName}.");
        }

        var builtFrom = typeof(RepositoryPaths).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "CloudArchive.RepositoryRoot")?.Value;
        var starts = new[] { AppContext.BaseDirectory, Environment.CurrentDirectory, builtFrom }.OfType<string>().Where(s => s.Length > 0).ToArray();
        foreach (var start in starts)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, SolutionFileName)))
                {
                    return dir.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException(
            $"Could not find {SolutionFileName} above any of: {string.Join(", ", starts)}. Run from inside the CloudArchive checkout or set {RootVariable}.");
    }
}
