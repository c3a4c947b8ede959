using System.Text.RegularExpressions;

namespace CloudArchive.Deidentification.Tests;

/// <summary>
/// The dependency graph between the top-level folders of a project, read from its C# sources. The project has one
/// namespace, so a folder depends on another when its code (or a <c>cref</c>) names a type declared there; comments
/// and string literals do not count. Subfolders belong to their top-level folder; files at the project root to
/// <c>(root)</c>.
/// </summary>
internal sealed partial class FolderGraph
{
    private FolderGraph(IReadOnlyDictionary<string, SortedDictionary<string, SortedSet<string>>> edges)
    {
        Edges = edges;
    }

    /// <summary>For each folder, the folders it depends on and the type names that make each edge.</summary>
    public IReadOnlyDictionary<string, SortedDictionary<string, SortedSet<string>>> Edges { get; }

    /// <summary>Reads every <c>.cs</c> file under <paramref name="projectDirectory"/> (bin and obj excluded).</summary>
    public static FolderGraph FromDirectory(string projectDirectory)
    {
        var files = Directory.EnumerateFiles(projectDirectory, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(projectDirectory, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("bin/", StringComparison.Ordinal) && !f.StartsWith("obj/", StringComparison.Ordinal))
            .Select(f => (f, File.ReadAllText(Path.Combine(projectDirectory, f))));
        return FromSources(files);
    }

    /// <summary>Builds the graph from (relative path, source text) pairs.</summary>
    public static FolderGraph FromSources(IEnumerable<(string RelativePath, string Text)> sources)
    {
        var files = sources.Select(s => (Folder: FolderOf(s.RelativePath), s.Text)).ToList();
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (folder, text) in files)
        {
            foreach (Match m in Declaration().Matches(text))
            {
                owner.TryAdd(m.Groups[1].Value, folder);
            }
        }

        var edges = files.Select(f => f.Folder).Distinct()
            .ToDictionary(f => f, _ => new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var (folder, text) in files)
        {
            foreach (var name in ReferencedNames(text))
            {
                if (owner.TryGetValue(name, out var target) && target != folder)
                {
                    if (!edges[folder].TryGetValue(target, out var names))
                    {
                        edges[folder][target] = names = new SortedSet<string>(StringComparer.Ordinal);
                    }

                    names.Add(name);
                }
            }
        }

        return new FolderGraph(edges);
    }

    /// <summary>Every cycle's folders (strongly connected components of more than one folder), each sorted.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var reach = Edges.Keys.ToDictionary(k => k, Reachable, StringComparer.Ordinal);
        return Edges.Keys
            .Select(a => Edges.Keys.Where(b => a == b || (reach[a].Contains(b) && reach[b].Contains(a))).Order(StringComparer.Ordinal).ToList())
            .Where(c => c.Count > 1)
            .DistinctBy(c => string.Join('|', c))
            .ToList<IReadOnlyList<string>>();
    }

    /// <summary>Each edge as <c>A -> B (Type, Type)</c>, for failure messages and the report.</summary>
    public string Describe() => string.Join(
        Environment.NewLine,
        Edges.OrderBy(e => e.Key, StringComparer.Ordinal)
            .SelectMany(e => e.Value.Select(t => $"{e.Key} -> {t.Key} ({string.Join(", ", t.Value)})")));

    private HashSet<string> Reachable(string from)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>(Edges[from].Keys);
        while (stack.Count > 0)
        {
            var next = stack.Pop();
            if (seen.Add(next) && Edges.TryGetValue(next, out var outgoing))
            {
                foreach (var k in outgoing.Keys)
                {
                    stack.Push(k);
                }
            }
        }

        return seen;
    }

    private static string FolderOf(string relativePath)
    {
        var slash = relativePath.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? "(root)" : relativePath[..slash];
    }

    private static IEnumerable<string> ReferencedNames(string text)
    {
        var crefs = Cref().Matches(text).Select(m => m.Groups[1].Value);
        var code = StringLiteral().Replace(LineComment().Replace(BlockComment().Replace(text, " "), " "), "\"\"");
        return Identifier().Matches(code).Select(m => m.Value).Concat(crefs).Distinct(StringComparer.Ordinal);
    }

    [GeneratedRegex(@"^\s*(?:(?:public|internal|private|protected|sealed|static|abstract|partial|readonly|file)\s+)*(?:class|record(?:\s+struct|\s+class)?|struct|enum|interface)\s+([A-Za-z_]\w*)", RegexOptions.Multiline)]
    private static partial Regex Declaration();

    [GeneratedRegex(@"cref=""(?:[A-Za-z_]\w*\.)*([A-Za-z_]\w*)")]
    private static partial Regex Cref();

    [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex BlockComment();

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"@?\$?""(?:[^""\\\n]|\\.)*""")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"[A-Za-z_]\w*")]
    private static partial Regex Identifier();
}
