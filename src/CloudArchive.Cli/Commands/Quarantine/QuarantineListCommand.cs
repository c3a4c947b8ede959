using System.CommandLine;
using CloudArchive.Cli.Commands.Common;
using Spectre.Console;

namespace CloudArchive.Cli.Commands.Quarantine;

/// <summary><c>cloudarchive quarantine list [--json]</c>: every quarantined upload with its id, reason and age, newest first (audited as a query, 110112).</summary>
public static class QuarantineListCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var json = JsonOutput.Option();
        var settingsFile = OperationsRunner.SettingsFileOption();
        var connection = OperationsRunner.ConnectionStringOption();
        var command = new Command("list", "List quarantined uploads: id, reason, age, retention date (never upload names). Exit codes: 0 listed, 2 usage/configuration, 3 storage error.")
        {
            json, settingsFile, connection,
        };
        command.SetAction((parse, cancellationToken) => OperationsRunner.RunAsync(parse.InvocationConfiguration.Error, async () =>
        {
            using var session = QuarantineSession.Open(ArchiveSettings.Load(parse.GetValue(connection), parse.GetValue(settingsFile)));
            var entries = await session.Operations.ListAsync(QuarantineSession.Actor, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(parse.InvocationConfiguration.Output, new System.Text.Json.Nodes.JsonObject
                {
                    ["count"] = entries.Count,
                    ["entries"] = JsonOutput.Array(entries.Select(e => (System.Text.Json.Nodes.JsonNode?)QuarantineJson.Entry(e))),
                }).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var console = OperationsRunner.Console(parse.InvocationConfiguration.Output);
            if (entries.Count == 0)
            {
                console.MarkupLine("Quarantine is empty.");
                return ExitCodes.Success;
            }

            var table = new Table().Title($"Quarantine ({entries.Count})").AddColumns("id", "age", "reason", "retain until", "key", "message");
            foreach (var e in entries)
            {
                var reason = e.Record is null ? "(unreadable)" : e.Record.RetriedAt is null ? e.Record.Reason : e.Record.Reason + " (retried)";
                table.AddRow(e.Id, QuarantineJson.Age(e.Age), Markup.Escape(reason), e.Record?.RetainUntil ?? "-", e.Record?.EncryptedUnder ?? "-", Markup.Escape(e.Record?.Message ?? e.Problem ?? string.Empty));
            }

            console.Write(table);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
