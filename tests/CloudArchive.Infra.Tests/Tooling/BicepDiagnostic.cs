using System.Text.RegularExpressions;

namespace CloudArchive.Infra.Tests.Tooling;

/// <summary>One compiler or linter finding: <c>file(line,col) : Level rule: message</c>.</summary>
internal sealed partial record BicepDiagnostic(string File, int Line, string Level, string Rule, string Message)
{
    public override string ToString() => $"{Path.GetRelativePath(InfraPaths.RepositoryRoot, File)}({Line}) {Level} {Rule}: {Message}";

    public static IReadOnlyList<BicepDiagnostic> Parse(string text) =>
        [.. text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(line => Pattern().Match(line))
            .Where(m => m.Success)
            .Select(m => new BicepDiagnostic(m.Groups["file"].Value, int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture),
                m.Groups["level"].Value, m.Groups["rule"].Value, m.Groups["message"].Value))];

    [GeneratedRegex(@"\A(?<file>.+)\((?<line>\d+),\d+\) : (?<level>Error|Warning|Info) (?<rule>[^:]+): (?<message>.*)\z")]
    private static partial Regex Pattern();
}
