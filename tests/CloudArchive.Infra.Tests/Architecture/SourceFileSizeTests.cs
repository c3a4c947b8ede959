using CloudArchive.Infra.Tests.Tooling;
using Xunit;

namespace CloudArchive.Infra.Tests.Architecture;

/// <summary>Small, named things (CONTRIBUTING.md): no hand-written source file in <c>src/</c> over 400 lines.</summary>
public sealed class SourceFileSizeTests
{
    private const int MaxLines = 400;

    [Fact]
    public void No_source_file_in_src_is_longer_than_400_lines()
    {
        var src = Path.Combine(InfraPaths.RepositoryRoot, "src");
        var tooLong = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(src, f) && !f.EndsWith(".g.cs", StringComparison.Ordinal))
            .Select(f => (Path: Path.GetRelativePath(InfraPaths.RepositoryRoot, f), Lines: File.ReadLines(f).Count()))
            .Where(f => f.Lines > MaxLines)
            .OrderByDescending(f => f.Lines)
            .Select(f => $"{f.Path} ({f.Lines} lines)")
            .ToList();

        Assert.True(tooLong.Count == 0, $"files over {MaxLines} lines: " + string.Join(", ", tooLong));
    }

    [Fact]
    public void The_size_check_sees_the_sources()
    {
        // Guards the check above against passing vacuously when the root or the folder layout is wrong.
        var project = Path.Combine(InfraPaths.RepositoryRoot, "src", "CloudArchive.Dicom", "CloudArchive.Dicom.csproj");

        Assert.True(File.Exists(project), $"{project} is missing: the repository root is wrong");
    }

    // bin/ and obj/ hold generated sources (assembly info, source generators' output) that nobody edits.
    private static bool IsBuildOutput(string src, string file) =>
        Path.GetRelativePath(src, file).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj");
}
