using System.Text.Json.Nodes;
using CloudArchive.Cli.Commands.Common;
using Spectre.Console;

namespace CloudArchive.Cli.Commands.Doctor;

/// <summary>Prints doctor's checks: one table row per check, then the fix of every check that failed or could not be verified.</summary>
internal static class DoctorReport
{
    /// <summary>The checks as <c>doctor --json</c> prints them: <c>{"checks": [...], "failed": n, "warnings": n}</c>.</summary>
    public static JsonObject Json(IReadOnlyList<DoctorCheck> checks) => new()
    {
        ["checks"] = JsonOutput.Array(checks.Select(c => (JsonNode?)new JsonObject
        {
            ["area"] = c.Area,
            ["check"] = c.Check,
            ["severity"] = c.Severity.ToString().ToLowerInvariant(),
            ["detail"] = c.Detail,
            ["fix"] = c.Fix,
        })),
        ["failed"] = checks.Count(c => c.Severity == DoctorSeverity.Fail),
        ["warnings"] = checks.Count(c => c.Severity == DoctorSeverity.Warn),
    };

    /// <summary>Writes the report; returns whether any check failed.</summary>
    public static bool Write(IAnsiConsole console, IReadOnlyList<DoctorCheck> checks)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(checks);
        var table = new Table().AddColumns("", "area", "check", "detail");
        foreach (var check in checks)
        {
            var mark = check.Severity switch
            {
                DoctorSeverity.Ok => "[green]OK[/]",
                DoctorSeverity.Warn => "[yellow]WARN[/]",
                DoctorSeverity.Skipped => "[grey]SKIP[/]",
                _ => "[red]FAIL[/]",
            };
            table.AddRow(mark, check.Area, Markup.Escape(check.Check), Markup.Escape(check.Detail));
        }

        console.Write(table);
        // The fixes name placeholders (<rg>, <account>) and settings, never a secret.
        foreach (var check in checks.Where(c => c.Fix is not null && c.Severity is DoctorSeverity.Fail or DoctorSeverity.Warn))
        {
            console.MarkupLine($"[bold]fix[/] {Markup.Escape(check.Check)}: {Markup.Escape(check.Fix!)}");
        }

        var failed = checks.Count(c => c.Severity == DoctorSeverity.Fail);
        var warned = checks.Count(c => c.Severity == DoctorSeverity.Warn);
        var skipped = checks.Count(c => c.Severity == DoctorSeverity.Skipped);
        var notApplicable = skipped > 0 ? $", {skipped} not applicable" : string.Empty;
        console.MarkupLine(failed > 0 ? $"[red]{failed} check(s) failed[/], {warned} warning(s){notApplicable}." : $"[green]All checks passed[/], {warned} warning(s){notApplicable}.");
        return failed > 0;
    }
}
