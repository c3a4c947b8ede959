namespace CloudArchive.Benchmarks.DicomOracle;

/// <summary>Finds the checkout (the directory holding CloudArchive.sln) from the binaries, the working directory or these sources.</summary>
internal static class BenchPaths
{
    public static string RepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory, SourceDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CloudArchive.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException("CloudArchive.sln not found above the binaries, the working directory or the benchmark sources.");
    }

    /// <summary>
    /// How to run this benchmark executable again as a child process (<c>harness NAME ...</c>): through <c>dotnet</c>
    /// with the assembly when that is how it runs, else the apphost itself.
    /// </summary>
    public static (string File, string[] Args) SelfCommand(params string[] args)
    {
        var host = Environment.ProcessPath ?? "dotnet";
        return Path.GetFileNameWithoutExtension(host) == "dotnet"
            ? (host, [typeof(BenchPaths).Assembly.Location, .. args])
            : (host, args);
    }

    // Binaries built with --artifacts-path live outside the checkout; the compile-time source path still points into it.
    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path) ?? ".";
}
