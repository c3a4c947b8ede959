using Xunit;

namespace CloudArchive.Dicom.Tests.Support;

/// <summary>Locates the sample corpus (testdata/dicom) by walking up to CloudArchive.sln.</summary>
public static class Samples
{
    private static readonly Lazy<string> Root = new(() =>
        FindUp(AppContext.BaseDirectory) ?? FindUp(Environment.CurrentDirectory) ?? FindUp(SourceDirectory())
        ?? throw new InvalidOperationException("CloudArchive.sln not found above the test binaries, the working directory or the test sources."));

    private static string? FindUp(string start)
    {
        var dir = new DirectoryInfo(start);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CloudArchive.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName;
    }

    // Builds with --artifacts-path put the binaries outside the repository; the compile-time source path still points into it.
    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path) ?? ".";

    /// <summary>The 8 deliberately malformed samples (MANIFEST.md).</summary>
    public static readonly string[] Broken =
    {
        "MR_truncated.dcm", "rtplan_truncated.dcm", "no_meta.dcm", "meta_missing_tsyntax.dcm", "badVR.dcm",
        "bad_sequence.dcm", "emri_small_jpeg_2k_lossless_too_short.dcm", "gdcm_00191113.dcm",
    };

    /// <summary>The broken samples that no reader can turn into a dataset; every other sample (including
    /// badVR, bad_sequence, gdcm_00191113 and meta_missing_tsyntax, which are tolerated) must be read.</summary>
    public static readonly HashSet<string> Unreadable = new(StringComparer.Ordinal)
    {
        "MR_truncated.dcm", "rtplan_truncated.dcm", "no_meta.dcm", "emri_small_jpeg_2k_lossless_too_short.dcm",
    };

    public static string RepoRoot => Root.Value;

    public static string Directory => Path.Combine(Root.Value, "testdata", "dicom");

    public static string PathOf(string name) => Path.Combine(Directory, name);

    public static IEnumerable<string> AllNames() =>
        System.IO.Directory.GetFiles(Directory).Select(Path.GetFileName).Where(n => n is not null && (n.EndsWith(".dcm", StringComparison.Ordinal) || n == "DICOMDIR")).Select(n => n!).Order(StringComparer.Ordinal);

    public static TheoryData<string> AllTheory()
    {
        var d = new TheoryData<string>();
        foreach (var n in AllNames())
        {
            d.Add(n);
        }

        return d;
    }
}
