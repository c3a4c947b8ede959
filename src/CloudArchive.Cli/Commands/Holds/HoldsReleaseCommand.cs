using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Core.Lifecycle;
using CloudArchive.Core.Lifecycle.Holds;

namespace CloudArchive.Cli.Commands.Holds;

/// <summary>
/// <c>cloudarchive holds release (--hold ID | --study KEY | --patient-id ID --case CASE) --reason TEXT [--json]</c>:
/// releasing needs a reason; with a target and case it releases every active hold of that case on that target.
/// </summary>
public static class HoldsReleaseCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var target = new HoldTarget();
        var holdId = new Option<string?>("--hold") { Description = "The hold id (hold-yyyyMMdd-xxxxxxxx), from `holds list`" };
        var caseId = new Option<string?>("--case") { Description = "With --study or --patient-id: the case whose holds to release" };
        var reason = new Option<string>("--reason") { Description = "Why the hold ends (required; kept in the hold record)", Required = true };
        var json = JsonOutput.Option();
        var settingsFile = OperationsRunner.SettingsFileOption();
        var connection = OperationsRunner.ConnectionStringOption();
        var command = new Command("release", "Release a legal hold (a reason is required). Exit codes: 0 released, 2 usage, 3 storage error, 4 no such hold.")
        {
            holdId, caseId, reason, json, settingsFile, connection,
        };
        target.AddTo(command);
        command.SetAction((parse, cancellationToken) => OperationsRunner.RunAsync(parse.InvocationConfiguration.Error, async () =>
        {
            using var session = LifecycleSession.Open(ArchiveSettings.Load(parse.GetValue(connection), parse.GetValue(settingsFile)));
            var ids = new List<string>();
            if (parse.GetValue(holdId) is { } id)
            {
                if (target.IsGiven(parse))
                {
                    throw new UsageException("Give either --hold ID or a target (--study / --patient-id) with --case, not both.");
                }

                ids.Add(id);
            }
            else
            {
                var caseCode = parse.GetValue(caseId) ?? throw new UsageException("Give --hold ID, or --study KEY / --patient-id ID with --case CASE.");
                var (scope, key) = await target.ResolveAsync(parse, session.Keyring, cancellationToken).ConfigureAwait(false);
                await LifecycleSession.GuardAsync(async () =>
                {
                    await foreach (var hold in session.Holds.ListAsync(includeReleased: false, cancellationToken).ConfigureAwait(false))
                    {
                        if (hold.Scope == scope && hold.Target == key && hold.Case == caseCode)
                        {
                            ids.Add(hold.Id);
                        }
                    }

                    return 0;
                }).ConfigureAwait(false);
                if (ids.Count == 0)
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync($"refused: no active hold of case {caseCode} on {key}.").ConfigureAwait(false);
                    return ExitCodes.Refused;
                }
            }

            var released = new JsonArray();
            foreach (var hold in ids)
            {
                LegalHoldChange change;
                try
                {
                    change = await LifecycleSession.GuardAsync(() => session.Holds.ReleaseAsync(hold, parse.GetValue(reason)!, LifecycleSession.Actor, session.CorrelationId, cancellationToken)).ConfigureAwait(false);
                }
                catch (LifecycleException ex) when (ex.Reason == LifecycleFailureReason.HoldNotFound)
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync("refused: " + ex.Message).ConfigureAwait(false);
                    return ExitCodes.Refused;
                }
                catch (LifecycleException ex) when (ex.Reason == LifecycleFailureReason.InvalidRequest)
                {
                    throw new UsageException(ex.Message);
                }

                if (parse.GetValue(json))
                {
                    var document = HoldJson.For(change.Hold);
                    document["instancesCleared"] = change.InstancesChanged;
                    document["instancesStillHeld"] = change.InstancesStillHeld;
                    released.Add((JsonNode)document);
                }
                else
                {
                    await parse.InvocationConfiguration.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"Released hold {change.Hold.Id} (case {change.Hold.Case}); ca_hold cleared on {change.InstancesChanged} instances, {change.InstancesStillHeld} stay held by other holds.")).ConfigureAwait(false);
                }
            }

            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(parse.InvocationConfiguration.Output, new JsonObject { ["released"] = released }).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
