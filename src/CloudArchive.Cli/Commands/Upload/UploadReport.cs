using System.Text.Json.Nodes;
using CloudArchive.Cli.Commands.Common;
using Spectre.Console;

namespace CloudArchive.Cli.Commands.Upload;

/// <summary>Prints what <c>upload</c> did, file by file: a table for people, <c>--json</c> for scripts.</summary>
internal static class UploadReport
{
    /// <summary>Without <c>--wait</c>: what was stored where, and what was skipped.</summary>
    public static void RenderStored(IAnsiConsole console, string container, IReadOnlyList<UploadFile> stored, IReadOnlyList<UploadOutcome> skipped)
    {
        if (stored.Count > 0)
        {
            var table = new Table().AddColumns("file", "stored as", "bytes");
            foreach (var f in stored)
            {
                table.AddRow(Markup.Escape(Display(f)), Markup.Escape($"{container}/{f.BlobName}"), f.Length.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
            }

            console.Write(table);
        }

        RenderSkipped(console, skipped);
    }

    /// <summary>With <c>--wait</c>: each file beside its outcome.</summary>
    public static void RenderOutcomes(IAnsiConsole console, IReadOnlyList<UploadOutcome> outcomes)
    {
        var table = new Table().AddColumns("file", "outcome", "reason", "message");
        foreach (var o in outcomes)
        {
            var kind = Name(o.Kind);
            var colour = o.Kind switch
            {
                UploadOutcomeKind.Archived or UploadOutcomeKind.Duplicate => "green",
                UploadOutcomeKind.Quarantined or UploadOutcomeKind.Skipped => "yellow",
                _ => "red",
            };
            table.AddRow(Markup.Escape(Display(o.File)), $"[{colour}]{kind}[/]", Markup.Escape(o.Reason ?? string.Empty), Markup.Escape(o.Message ?? string.Empty));
        }

        console.Write(table);
        var counts = outcomes.GroupBy(o => o.Kind).OrderBy(g => g.Key).Select(g => $"{g.Count()} {Name(g.Key)}");
        console.MarkupLine(Markup.Escape(string.Join(", ", counts)) + ".");
        if (outcomes.Any(o => o.Kind == UploadOutcomeKind.TimedOut))
        {
            console.MarkupLine("[red]Some uploads have no outcome yet[/]: they may still be queued, be retried, or be in the poison queue (cloudarchive status).");
        }
    }

    /// <summary>
    /// The outcomes as a JSON array (<c>file</c>, <c>blob</c>, <c>outcome</c>, <c>reason</c>, <c>message</c>, <c>bytes</c>);
    /// <paramref name="container"/> is null for STOW-RS, which has no blob of the uploader's (<c>blob</c> is then null).
    /// </summary>
    public static Task WriteJsonAsync(TextWriter output, string? container, IEnumerable<UploadOutcome> outcomes, IEnumerable<UploadFile> storedWithoutOutcome)
    {
        var rows = outcomes.Select(o => (JsonNode?)new JsonObject
        {
            ["file"] = Display(o.File),
            ["blob"] = o.Kind == UploadOutcomeKind.Skipped || container is null ? null : $"{container}/{o.File.BlobName}",
            ["bytes"] = o.File.Length,
            ["outcome"] = Name(o.Kind),
            ["reason"] = o.Reason,
            ["message"] = o.Message,
        }).Concat(storedWithoutOutcome.Select(f => (JsonNode?)new JsonObject
        {
            ["file"] = Display(f),
            ["blob"] = $"{container}/{f.BlobName}",
            ["bytes"] = f.Length,
            ["outcome"] = "stored",
        }));
        return JsonOutput.WriteAsync(output, JsonOutput.Array(rows));
    }

    private static void RenderSkipped(IAnsiConsole console, IReadOnlyList<UploadOutcome> skipped)
    {
        foreach (var s in skipped)
        {
            console.MarkupLine($"[yellow]Skipped[/] {Markup.Escape(Display(s.File))}: {Markup.Escape(s.Message ?? string.Empty)} (--force sends it anyway).");
        }
    }

    /// <summary>The outcome's name in output (lowercase, hyphenated).</summary>
    public static string Name(UploadOutcomeKind kind) => kind switch
    {
        UploadOutcomeKind.TimedOut => "timed-out",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>The local path as the user knows it: relative to the working directory when inside it.</summary>
    private static string Display(UploadFile file)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, file.Path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? file.Path : relative;
    }
}
