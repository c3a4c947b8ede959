using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using CloudArchive.Cli.Commands.Agreements;
using CloudArchive.Cli.Commands.Common;

namespace CloudArchive.Cli.Commands.Retention;

/// <summary>
/// <c>cloudarchive retention run [--as-of DATE] [--json]</c>: the sweep the <c>RetentionSweep</c> timer runs daily,
/// now. <c>--as-of</c> may only look back (a date in the future would delete data before its retention ends).
/// </summary>
public static class RetentionRunCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var asOf = new Option<string?>("--as-of") { Description = "Sweep as of this date (yyyy-MM-dd, UTC, not after today); default today" };
        var json = JsonOutput.Option();
        var settingsFile = OperationsRunner.SettingsFileOption();
        var connection = OperationsRunner.ConnectionStringOption();
        var command = new Command("run", "Delete expired instances and crypto-shred wholly expired studies (never under a legal hold). Exit codes: 0 done, 1 done but held studies were kept, 2 usage, 3 storage error.")
        {
            asOf, json, settingsFile, connection,
        };
        command.SetAction((parse, cancellationToken) => OperationsRunner.RunAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            var date = parse.GetValue(asOf) is { } text ? CliTimes.Date(text, "--as-of") : today;
            if (date > today)
            {
                throw new UsageException("--as-of must not be after today: a run acts, and would delete data before its retention ends. Use `retention plan --as-of` to look ahead.");
            }

            using var session = LifecycleSession.Open(ArchiveSettings.Load(parse.GetValue(connection), parse.GetValue(settingsFile)));
            var result = await LifecycleSession.GuardAsync(() => session.Sweep.RunAsync(date, LifecycleSession.Actor, session.CorrelationId, cancellationToken)).ConfigureAwait(false);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(output, new JsonObject
                {
                    ["asOf"] = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ["instancesExpired"] = result.InstancesExpired,
                    ["instancesDeleted"] = result.InstancesDeleted,
                    ["studiesShredded"] = result.StudiesShredded,
                    ["studiesHeld"] = result.StudiesHeld,
                    ["researchInstancesWithdrawn"] = result.ResearchInstancesWithdrawn,
                    ["quarantineDeleted"] = result.QuarantineCopiesDeleted,
                    ["correlationId"] = session.CorrelationId,
                }).ConfigureAwait(false);
            }
            else
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Retention sweep as of {date:yyyy-MM-dd}: {result.InstancesExpired} expired instances; deleted {result.InstancesDeleted}; studies shredded {result.StudiesShredded}, kept under legal hold {result.StudiesHeld}; research copies withdrawn {result.ResearchInstancesWithdrawn}; quarantine copies deleted {result.QuarantineCopiesDeleted}. Audited under correlation id {session.CorrelationId}.")).ConfigureAwait(false);
            }

            return result.StudiesHeld > 0 ? ExitCodes.Attention : ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
