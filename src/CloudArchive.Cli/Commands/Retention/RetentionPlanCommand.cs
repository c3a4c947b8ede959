using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using CloudArchive.Cli.Commands.Agreements;
using CloudArchive.Cli.Commands.Common;

namespace CloudArchive.Cli.Commands.Retention;

/// <summary>
/// <c>cloudarchive retention plan [--as-of DATE] [--json]</c>: what a sweep on that date would do, instance by instance,
/// and why (retain-until tag, the retention rule from the encrypted index record, the action), without changing anything.
/// </summary>
public static class RetentionPlanCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var asOf = new Option<string?>("--as-of") { Description = "Plan as of this date (yyyy-MM-dd, UTC); default today" };
        var json = JsonOutput.Option();
        var settingsFile = OperationsRunner.SettingsFileOption();
        var connection = OperationsRunner.ConnectionStringOption();
        var command = new Command("plan", "Show what the retention sweep would delete or shred, and why, without acting. Exit codes: 0 shown, 2 usage, 3 storage error.")
        {
            asOf, json, settingsFile, connection,
        };
        command.SetAction((parse, cancellationToken) => OperationsRunner.RunAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var date = parse.GetValue(asOf) is { } text ? CliTimes.Date(text, "--as-of") : DateOnly.FromDateTime(DateTime.UtcNow);
            var output = parse.InvocationConfiguration.Output;
            using var session = LifecycleSession.Open(ArchiveSettings.Load(parse.GetValue(connection), parse.GetValue(settingsFile)));
            var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
            var items = new JsonArray();
            var asJson = parse.GetValue(json);
            if (!asJson)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Retention plan as of {date:yyyy-MM-dd} (nothing is changed):")).ConfigureAwait(false);
                await output.WriteLineAsync("action           study                      instance                   retain-until  rule").ConfigureAwait(false);
            }

            await LifecycleSession.GuardAsync(async () =>
            {
                await foreach (var item in session.Sweep.PlanAsync(date, cancellationToken).ConfigureAwait(false))
                {
                    counts[item.ActionCode] = counts.GetValueOrDefault(item.ActionCode) + 1;
                    if (asJson)
                    {
                        items.Add((JsonNode)new JsonObject
                        {
                            ["action"] = item.ActionCode,
                            ["studyKey"] = item.StudyKey,
                            ["instanceKey"] = item.InstanceKey,
                            ["retainUntil"] = item.RetainUntil,
                            ["rule"] = item.RuleId,
                        });
                    }
                    else
                    {
                        await output.WriteLineAsync($"{item.ActionCode,-16} {item.StudyKey} {item.InstanceKey} {item.RetainUntil ?? "?",-13} {item.RuleId ?? "(unreadable)"}").ConfigureAwait(false);
                    }
                }

                return 0;
            }).ConfigureAwait(false);

            if (asJson)
            {
                await JsonOutput.WriteAsync(output, new JsonObject
                {
                    ["asOf"] = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ["counts"] = JsonOutput.Counts(counts),
                    ["items"] = items,
                }).ConfigureAwait(false);
            }
            else
            {
                await output.WriteLineAsync(counts.Count == 0
                    ? "Nothing is past its retention date."
                    : "Totals: " + string.Join(", ", counts.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value}")))).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
