using System.CommandLine;
using System.Globalization;
using CloudArchive.Cli.Commands.Common;
using Spectre.Console;

namespace CloudArchive.Cli.Commands.Status;

/// <summary>
/// <c>cloudarchive status [--recent 5] [--json]</c>: whether the function app is up, blob counts per container, both work
/// queues with their poison queues, the latest quarantine reasons (newest first), open findings (<c>fixity-failed</c>), the last audit write.
/// </summary>
public static class StatusCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var recent = new Option<int>("--recent") { Description = "How many recent quarantine reasons to show", DefaultValueFactory = _ => 5 };
        var json = JsonOutput.Option("Print the status as JSON");
        var connection = OperationsRunner.ConnectionStringOption();
        var settingsFile = OperationsRunner.SettingsFileOption();
        var command = new Command("status", "Show whether the function app is up, what is in the archive's containers and queues, and what went wrong last. Exit codes: 0 ok, 1 a poison queue holds messages, an open finding (fixity-failed) exists or the function app is down, 2 configuration, 3 storage error.")
        {
            recent, json, connection, settingsFile,
        };
        command.SetAction((parse, cancellationToken) => OperationsRunner.RunAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var settings = ArchiveSettings.Load(parse.GetValue(connection), parse.GetValue(settingsFile));
            var status = await ArchiveStatusReader.ReadAsync(settings.Connect(), settings, Math.Max(0, parse.GetValue(recent)), cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(parse.InvocationConfiguration.Output, StatusJson.Build(status)).ConfigureAwait(false);
            }
            else
            {
                Render(OperationsRunner.Console(parse.InvocationConfiguration.Output), status);
            }

            return status.NeedsAttention ? ExitCodes.Attention : ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    internal static void Render(IAnsiConsole console, ArchiveStatus status)
    {
        var app = status.FunctionApp;
        var state = app.State switch
        {
            "running" => "[green]running[/]",
            "down" => "[red]down[/]",
            _ => $"[yellow]{app.State}[/]",
        };
        console.MarkupLine($"Function app: {state}" + (app.Url is null ? string.Empty : $" at {Markup.Escape(app.Url)}") + $" ({Markup.Escape(app.Detail)})");
        var containers = new Table().Title("Containers").AddColumns("role", "container", "blobs", "bytes");
        foreach (var c in status.Containers)
        {
            containers.AddRow(c.Role, Markup.Escape(c.Name), c.Exists ? c.Blobs.ToString(CultureInfo.InvariantCulture) : "[yellow]missing[/]", c.Exists ? c.Bytes.ToString("N0", CultureInfo.InvariantCulture) : "-");
        }

        console.Write(containers);
        var queues = new Table().Title("Queues").AddColumns("queue", "messages");
        foreach (var q in status.Queues)
        {
            var depth = !q.Exists ? "[yellow]missing[/]"
                : q.Name.EndsWith("-poison", StringComparison.Ordinal) && q.Messages > 0 ? $"[red]{q.Messages}[/]"
                : q.Messages.ToString(CultureInfo.InvariantCulture);
            queues.AddRow(Markup.Escape(q.Name), depth);
        }

        console.Write(queues);
        if (status.RecentQuarantine.Count > 0)
        {
            var now = DateTimeOffset.UtcNow;
            var reasons = new Table().Title("Recent quarantine (cloudarchive quarantine list|show|retry|release)").AddColumns("time (UTC)", "id", "age", "reason", "message");
            foreach (var r in status.RecentQuarantine)
            {
                reasons.AddRow(r.Time?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-", r.Id, r.AgeText(now), Markup.Escape(r.Retried ? r.Reason + " (retried)" : r.Reason), Markup.Escape(r.Message));
            }

            console.Write(reasons);
        }
        else
        {
            console.MarkupLine("Quarantine: no reasons recorded.");
        }

        if (status.Findings is { Count: > 0 } findings)
        {
            var table = new Table().Title("[red]Open findings[/]").AddColumns("finding", "archive blob", "problem", "found (UTC)");
            foreach (var f in findings)
            {
                table.AddRow($"[red]{Markup.Escape(f.Kind)}[/]", Markup.Escape(f.Subject), Markup.Escape(f.Problem), f.DetectedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            }

            console.Write(table);
        }

        console.MarkupLine("Last audit write: " + (status.LastAuditWrite is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "none"));
    }
}
