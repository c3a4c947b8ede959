using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloudArchive.Cli.Commands.Common;

/// <summary>
/// <c>--json</c>, the same way everywhere: the option, and one indented JSON document on standard output (messages and
/// progress go to standard error, so the output parses). Documents are built as <see cref="JsonNode"/> trees, which
/// serialize without reflection (the CLI is published with NativeAOT).
/// </summary>
internal static class JsonOutput
{
    /// <summary>A new <c>--json</c> option.</summary>
    public static System.CommandLine.Option<bool> Option(string description = "Print the result as JSON") => new("--json") { Description = description };

    /// <summary>Writes <paramref name="document"/> as one indented document and a line break.</summary>
    public static Task WriteAsync(TextWriter output, JsonNode document) => output.WriteLineAsync(Format(document, indented: true));

    /// <summary>The document as text.</summary>
    public static string Format(JsonNode document, bool indented)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            document.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>An array of strings.</summary>
    public static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    /// <summary>An array of nodes.</summary>
    public static JsonArray Array(IEnumerable<JsonNode?> values) => new(values.ToArray());

    /// <summary>An object of counts.</summary>
    public static JsonObject Counts(IEnumerable<KeyValuePair<string, int>> counts)
    {
        var o = new JsonObject();
        foreach (var (key, value) in counts)
        {
            o[key] = value;
        }

        return o;
    }
}
