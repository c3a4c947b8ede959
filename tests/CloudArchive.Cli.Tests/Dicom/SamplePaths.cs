namespace CloudArchive.Cli.Tests.Dicom;

/// <summary>Finds testdata/dicom by walking up to CloudArchive.sln (from the binaries, the working directory or these sources).</summary>
internal static class SamplePaths
{
    private static readonly Lazy<string> Root = new(() =>
        FindUp(AppContext.BaseDirectory) ?? FindUp(Environment.CurrentDirectory) ?? FindUp(SourceDirectory())
        ?? throw new InvalidOperationException("CloudArchive.sln not found above the test binaries, the working directory or the test sources."));

    public static string Of(string sample) => Path.Combine(Root.Value, "testdata", "dicom", sample);

    private static string? FindUp(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CloudArchive.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    // Builds with --artifacts-path put the binaries outside the checkout; the compile-time source path still points into it.
    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path) ?? ".";
}
