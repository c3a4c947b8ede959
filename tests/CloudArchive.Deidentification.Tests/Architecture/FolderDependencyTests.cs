using Xunit;

namespace CloudArchive.Deidentification.Tests;

/// <summary>
/// The folders of the de-identification project depend on each other in one direction only. Shared leaf types (the
/// typed errors in Errors, the value readers in Values) live where they depend on no other folder, so that no folder
/// reaches back into the engine that uses it.
/// </summary>
public class FolderDependencyTests
{
    private static string ProjectDirectory => Path.Combine(TestPaths.RepositoryRoot, "src", "CloudArchive.Deidentification");

    [Fact]
    public void Deidentification_folders_have_no_dependency_cycle()
    {
        var graph = FolderGraph.FromDirectory(ProjectDirectory);

        Assert.True(graph.Edges.Count >= 8, "expected the project's folders, found: " + string.Join(", ", graph.Edges.Keys));
        var cycles = graph.Cycles();
        Assert.True(cycles.Count == 0, "folder cycles: " + string.Join("; ", cycles.Select(c => string.Join(" <-> ", c)))
            + Environment.NewLine + graph.Describe());
    }

    [Theory]
    [InlineData("Errors")]
    [InlineData("Values")]
    public void Leaf_folder_depends_on_no_other_folder(string folder)
    {
        var graph = FolderGraph.FromDirectory(ProjectDirectory);

        Assert.True(graph.Edges.ContainsKey(folder), folder + " is missing");
        Assert.Empty(graph.Edges[folder]);
    }

    [Fact]
    public void Engine_uses_the_folders_it_orchestrates()
    {
        var graph = FolderGraph.FromDirectory(ProjectDirectory);

        // A guard on the reader itself: were the sources not read, every folder would look independent.
        Assert.Contains("Profile", graph.Edges["Engine"].Keys);
        Assert.Contains("DeidAction", graph.Edges["Engine"]["Profile"]);
        Assert.Contains("Errors", graph.Edges["Pixel"].Keys);
    }

    [Fact]
    public void An_exception_type_declared_in_the_engine_and_thrown_by_a_lower_folder_is_a_cycle()
    {
        // The shape this project had: Pixel throws an exception declared in Engine, and Engine uses Pixel.
        var graph = FolderGraph.FromSources(
        [
            ("Engine/Deidentifier.cs", "namespace N;\npublic sealed class Deidentifier { private PixelBlanker? b; }"),
            ("Engine/DeidentificationException.cs", "namespace N;\npublic sealed class DeidentificationException : Exception { }"),
            ("Pixel/PixelBlanker.cs", "namespace N;\npublic static class PixelBlanker { static void F() => throw new DeidentificationException(); }"),
            ("Reporting/InstanceReport.cs", "namespace N;\n/// <see cref=\"Deidentifier\"/>\npublic sealed class InstanceReport { }"),
        ]);

        var cycle = Assert.Single(graph.Cycles());
        Assert.Equal(new[] { "Engine", "Pixel" }, cycle);
        Assert.Contains("Engine", graph.Edges["Reporting"].Keys);
    }

    [Fact]
    public void Names_in_comments_and_strings_are_not_dependencies()
    {
        var graph = FolderGraph.FromSources(
        [
            ("Engine/Deidentifier.cs", "namespace N;\npublic sealed class Deidentifier { private PixelBlanker? b; }"),
            ("Pixel/PixelBlanker.cs", "namespace N;\n// Deidentifier calls this.\n/* Deidentifier */ public static class PixelBlanker { const string S = \"Deidentifier\"; }"),
        ]);

        Assert.Empty(graph.Cycles());
        Assert.Empty(graph.Edges["Pixel"]);
    }
}
