using System.CommandLine;
using System.Globalization;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Core.Keys;
using Spectre.Console;

namespace CloudArchive.Cli.Commands.Keys;

/// <summary>
/// <c>cloudarchive keys rewrap [--continue-from TOKEN] [--max-pages N]</c>: rewraps every keyring entry under the
/// current key-encryption key (after a rotation). Resumable: an interrupted or page-limited run prints the token
/// to pass to <c>--continue-from</c>.
/// </summary>
public static class KeysRewrapCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var continueFrom = new Option<string?>("--continue-from") { Description = "Resume from the marker a previous run printed" };
        var maxPages = new Option<int?>("--max-pages") { Description = "Stop after this many pages (the run prints where to continue)" };
        var pageSize = new Option<int>("--page-size") { Description = "Entries per page", DefaultValueFactory = _ => 100 };
        var json = JsonOutput.Option("Print the totals, failed entries and continuation token as JSON");
        var settingsFile = OperationsRunner.SettingsFileOption();
        var connection = OperationsRunner.ConnectionStringOption();
        var command = new Command("rewrap", "Rewrap study keys under the current key-encryption key. Exit codes: 0 complete, 1 entries failed or more to do, 2 configuration, 3 storage error.")
        {
            continueFrom, maxPages, pageSize, json, settingsFile, connection,
        };
        command.SetAction((parse, cancellationToken) => OperationsRunner.RunAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var size = parse.GetValue(pageSize);
            if (size is < 1 or > 5000)
            {
                throw new UsageException("--page-size must be between 1 and 5000.");
            }

            var console = OperationsRunner.Console(parse.InvocationConfiguration.Output);
            using var session = KeyringSession.Open(ArchiveSettings.Load(parse.GetValue(connection), parse.GetValue(settingsFile)));
            var last = default(RewrapProgress);
            var progress = new Progress<RewrapProgress>(p => last = p);
            RewrapResult result;
            try
            {
                result = await session.Keyring.RewrapAsync(new RewrapOptions
                {
                    PageSize = size,
                    ContinuationToken = parse.GetValue(continueFrom),
                    MaxPages = parse.GetValue(maxPages),
                    Actor = Audit.AuditLogAccess.Actor,
                    Progress = progress,
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && last?.ResumeToken is { } resume)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"cancelled; resume with: cloudarchive keys rewrap --continue-from {resume}").ConfigureAwait(false);
                return ExitCodes.Cancelled;
            }

            var t = result.Totals;
            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(parse.InvocationConfiguration.Output, new System.Text.Json.Nodes.JsonObject
                {
                    ["scanned"] = t.Scanned,
                    ["rewrapped"] = t.Rewrapped,
                    ["alreadyCurrent"] = t.AlreadyCurrent,
                    ["vanished"] = t.Vanished,
                    ["failed"] = t.Failed,
                    ["currentKeyId"] = result.CurrentKekKeyId,
                    ["failedEntries"] = JsonOutput.Array(result.FailedEntries.Select(f => (System.Text.Json.Nodes.JsonNode?)new System.Text.Json.Nodes.JsonObject { ["entry"] = f.Entry, ["reason"] = f.Reason })),
                    ["continueFrom"] = result.ContinuationToken,
                    ["complete"] = result.Complete,
                }).ConfigureAwait(false);
                return result.Complete ? ExitCodes.Success : ExitCodes.Attention;
            }

            console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"Scanned {t.Scanned}, rewrapped {t.Rewrapped}, already current {t.AlreadyCurrent}, vanished {t.Vanished}, failed {t.Failed}; current key {Markup.Escape(result.CurrentKekKeyId)}."));
            foreach (var (entry, reason) in result.FailedEntries)
            {
                console.MarkupLine($"[red]failed[/] {Markup.Escape(entry)}: {Markup.Escape(reason)}");
            }

            if (result.ContinuationToken is { } token)
            {
                console.MarkupLine($"More entries remain; continue with: cloudarchive keys rewrap --continue-from {Markup.Escape(token)}");
            }

            return result.Complete ? ExitCodes.Success : ExitCodes.Attention;
        }, cancellationToken));
        return command;
    }
}
