using System.CommandLine;
using System.Text.Json.Nodes;
using CloudArchive.Cli.Commands.Common;

namespace CloudArchive.Cli.Commands.Holds;

/// <summary><c>cloudarchive holds list [--study KEY | --patient-id ID] [--all] [--json]</c>.</summary>
public static class HoldsListCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var target = new HoldTarget();
        var all = new Option<bool>("--all") { Description = "Also released holds" };
        var json = JsonOutput.Option();
        var settingsFile = OperationsRunner.SettingsFileOption();
        var connection = OperationsRunner.ConnectionStringOption();
        var command = new Command("list", "List legal holds (active ones unless --all). Exit codes: 0 listed, 2 usage, 3 storage error.")
        {
            all, json, settingsFile, connection,
        };
        target.AddTo(command);
        command.SetAction((parse, cancellationToken) => OperationsRunner.RunAsync(parse.InvocationConfiguration.Error, async () =>
        {
            using var session = LifecycleSession.Open(ArchiveSettings.Load(parse.GetValue(connection), parse.GetValue(settingsFile)));
            var filter = target.IsGiven(parse) ? await target.ResolveAsync(parse, session.Keyring, cancellationToken).ConfigureAwait(false) : ((Core.Lifecycle.Holds.LegalHoldScope, string)?)null;
            var holds = new JsonArray();
            var output = parse.InvocationConfiguration.Output;
            var count = 0;
            await LifecycleSession.GuardAsync(async () =>
            {
                await foreach (var hold in session.Holds.ListAsync(parse.GetValue(all), cancellationToken).ConfigureAwait(false))
                {
                    if (filter is { } f && (hold.Scope != f.Item1 || hold.Target != f.Item2))
                    {
                        continue;
                    }

                    count++;
                    if (parse.GetValue(json))
                    {
                        holds.Add((JsonNode)HoldJson.For(hold));
                    }
                    else
                    {
                        await output.WriteLineAsync(HoldJson.Line(hold)).ConfigureAwait(false);
                    }
                }

                return 0;
            }).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(output, new JsonObject { ["holds"] = holds }).ConfigureAwait(false);
            }
            else if (count == 0)
            {
                await output.WriteLineAsync(parse.GetValue(all) ? "No holds." : "No active holds.").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
