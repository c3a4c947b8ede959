using System.Reflection;

namespace CloudArchive.Deidentification.Tests;

/// <summary>Locates the repository (for data/ and testdata/): recorded at build time, so external artifacts paths work.</summary>
internal static class TestPaths
{
    public static string RepositoryRoot { get; } = Find();

    public static string Samples => Path.Combine(RepositoryRoot, "testdata", "dicom");

    private static string Find()
    {
        var recorded = typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        if (recorded is not null && File.Exists(Path.Combine(recorded, "CloudArchive.sln")))
        {
            return Path.GetFullPath(recorded);
        }

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CloudArchive.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (CloudArchive.sln).");
    }
}
