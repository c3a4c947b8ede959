using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Core.Lifecycle.Fixity;
using Spectre.Console;

namespace CloudArchive.Cli.Commands.Fixity;

/// <summary>
/// <c>cloudarchive fixity run|status</c>: run the fixity sweep once as the timer would (idempotent: it verifies only
/// what is due), and show the sweep's cursor and open <c>fixity-failed</c> findings (docs/lifecycle/reconcile.md).
/// </summary>
public static class FixityCommands
{
    /// <summary>Creates the <c>fixity</c> command with its subcommands.</summary>
    public static Command Create()
    {
        var fixity = new Command("fixity", "The fixity sweep: decrypt-verify the archive once per period (run), and see its progress and open findings (status)");
        fixity.Add(Run());
        fixity.Add(Status());
        return fixity;
    }

    private static Command Run()
    {
        var json = JsonOutput.Option("Print the run's result as JSON");
        var connection = OperationsRunner.ConnectionStringOption();
        var settingsFile = OperationsRunner.SettingsFileOption();
        var command = new Command("run", "Run the fixity sweep once (what is due now; the daily timer does the same). Exit codes: 0 nothing failed, 1 a blob failed verification or the run stopped at its time limit, 2 configuration, 3 storage error.")
        {
            json, connection, settingsFile,
        };
        command.SetAction((parse, cancellationToken) => OperationsRunner.RunAsync(parse.InvocationConfiguration.Error, async () =>
        {
            using var services = ArchiveServices.Open(ArchiveSettings.Load(parse.GetValue(connection), parse.GetValue(settingsFile)));
            var correlationId = "cli-fixity-" + Guid.NewGuid().ToString("N");
            var actor = new CloudArchive.Core.Audit.AuditActor(Audit.AuditLogAccess.Actor, app: "cloudarchive-cli", role: "fixity");
            var result = await services.Get<FixitySweeper>().RunAsync(correlationId, actor, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(parse.InvocationConfiguration.Output, new JsonObject
                {
                    ["cycle"] = result.Cycle,
                    ["firstBucket"] = result.FirstBucket,
                    ["buckets"] = result.BucketsDone,
                    ["verified"] = result.Verified,
                    ["failed"] = result.Failed,
                    ["skipped"] = result.Skipped,
                    ["resolved"] = result.Resolved,
                    ["cycleComplete"] = result.CycleComplete,
                    ["stoppedEarly"] = result.StoppedEarly,
                    ["correlationId"] = correlationId,
                }).ConfigureAwait(false);
            }
            else
            {
                OperationsRunner.Console(parse.InvocationConfiguration.Output).MarkupLine(string.Create(CultureInfo.InvariantCulture,
                    $"Cycle {result.Cycle}: {result.BucketsDone} bucket(s) from {result.FirstBucket}, verified {result.Verified}, [{(result.Failed > 0 ? "red" : "green")}]failed {result.Failed}[/], skipped {result.Skipped}, resolved {result.Resolved}{(result.CycleComplete ? "; cycle complete" : string.Empty)}{(result.StoppedEarly ? "; stopped at the time limit, the next run continues" : string.Empty)}."));
            }

            return result.Failed > 0 || result.StoppedEarly ? ExitCodes.Attention : ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command Status()
    {
        var json = JsonOutput.Option("Print the cursor and findings as JSON");
        var connection = OperationsRunner.ConnectionStringOption();
        var settingsFile = OperationsRunner.SettingsFileOption();
        var command = new Command("status", "Show the sweep's cycle, progress and open fixity-failed findings. Exit codes: 0 no open finding, 1 findings are open, 2 configuration, 3 storage error.")
        {
            json, connection, settingsFile,
        };
        command.SetAction((parse, cancellationToken) => OperationsRunner.RunAsync(parse.InvocationConfiguration.Error, async () =>
        {
            using var services = ArchiveServices.Open(ArchiveSettings.Load(parse.GetValue(connection), parse.GetValue(settingsFile)));
            var store = services.Get<IFixityStore>();
            var state = (await store.GetStateAsync(cancellationToken).ConfigureAwait(false))?.State;
            var findings = new List<FixityFinding>();
            await foreach (var finding in store.ListFindingsAsync(cancellationToken).ConfigureAwait(false))
            {
                findings.Add(finding);
            }

            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(parse.InvocationConfiguration.Output, new JsonObject
                {
                    ["cycle"] = state?.Cycle,
                    ["cycleStarted"] = state?.CycleStarted,
                    ["nextBucket"] = state?.NextBucket,
                    ["buckets"] = FixityKeySpace.BucketCount,
                    ["verified"] = state?.Verified,
                    ["failed"] = state?.Failed,
                    ["lastRun"] = state?.LastRun,
                    ["findings"] = JsonOutput.Array(findings.Select(f => (JsonNode?)new JsonObject { ["kind"] = "fixity-failed", ["subject"] = f.BlobName, ["problem"] = f.Problem, ["detectedAt"] = f.DetectedAt, ["cycle"] = f.Cycle })),
                }).ConfigureAwait(false);
            }
            else
            {
                var console = OperationsRunner.Console(parse.InvocationConfiguration.Output);
                console.MarkupLine(state is null
                    ? "No fixity sweep has run yet."
                    : string.Create(CultureInfo.InvariantCulture, $"Cycle {state.Cycle} (started {state.CycleStarted.UtcDateTime:yyyy-MM-dd HH:mm} UTC): {state.NextBucket}/{FixityKeySpace.BucketCount} buckets, verified {state.Verified}, failed {state.Failed}, last run {(state.LastRun is { } last ? last.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "-")}."));
                foreach (var f in findings)
                {
                    console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"[red]fixity-failed[/] {Markup.Escape(f.BlobName)}: {Markup.Escape(f.Problem)} (found {f.DetectedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC, cycle {f.Cycle})"));
                }
            }

            return findings.Count > 0 ? ExitCodes.Attention : ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
