using System.Text.Json;

namespace CloudArchive.Cli.Commands.Common;

/// <summary>
/// <c>--json</c>, the same way everywhere: the option, and one indented JSON document on standard output (messages and
/// progress go to standard error, so the output parses).
/// </summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    /// <summary>A new <c>--json</c> option.</summary>
    public static System.CommandLine.Option<bool> Option(string description = "Print the result as JSON") => new("--json") { Description = description };

    /// <summary>Writes <paramref name="value"/> (dictionaries, lists, records, <see cref="System.Text.Json.Nodes.JsonNode"/>) as one document.</summary>
    public static Task WriteAsync(TextWriter output, object value) => output.WriteLineAsync(JsonSerializer.Serialize(value, Options));
}
