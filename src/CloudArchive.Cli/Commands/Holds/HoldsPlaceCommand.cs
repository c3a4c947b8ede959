using System.CommandLine;
using System.Globalization;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Core.Lifecycle;
using CloudArchive.Core.Lifecycle.Holds;

namespace CloudArchive.Cli.Commands.Holds;

/// <summary><c>cloudarchive holds place --study KEY | --patient-id ID --case CASE --reason TEXT [--json]</c>.</summary>
public static class HoldsPlaceCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var target = new HoldTarget();
        var caseId = new Option<string>("--case") { Description = "The legal case, a short code ([A-Za-z0-9._:-], up to 64 characters)", Required = true };
        var reason = new Option<string>("--reason") { Description = "Why (kept in the hold record in control; never logged or audited)", Required = true };
        var json = JsonOutput.Option();
        var settingsFile = OperationsRunner.SettingsFileOption();
        var connection = OperationsRunner.ConnectionStringOption();
        var command = new Command("place", "Place a legal hold on a study or on every study of a patient. Exit codes: 0 placed, 2 usage, 3 storage error.")
        {
            caseId, reason, json, settingsFile, connection,
        };
        target.AddTo(command);
        command.SetAction((parse, cancellationToken) => OperationsRunner.RunAsync(parse.InvocationConfiguration.Error, async () =>
        {
            using var session = LifecycleSession.Open(ArchiveSettings.Load(parse.GetValue(connection), parse.GetValue(settingsFile)));
            var (scope, key) = await target.ResolveAsync(parse, session.Keyring, cancellationToken).ConfigureAwait(false);
            LegalHoldChange change;
            try
            {
                change = await LifecycleSession.GuardAsync(() => session.Holds.PlaceAsync(new LegalHoldRequest(scope, key, parse.GetValue(caseId)!, parse.GetValue(reason)!), LifecycleSession.Actor, session.CorrelationId, cancellationToken)).ConfigureAwait(false);
            }
            catch (LifecycleException ex) when (ex.Reason == LifecycleFailureReason.InvalidRequest)
            {
                throw new UsageException(ex.Message);
            }

            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                var document = HoldJson.For(change.Hold);
                document["instancesTagged"] = change.InstancesChanged;
                await JsonOutput.WriteAsync(output, document).ConfigureAwait(false);
            }
            else
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Placed hold {change.Hold.Id} on {(scope == LegalHoldScope.Study ? "study" : "patient")} {key} (case {change.Hold.Case}); {change.InstancesChanged} archived instances tagged ca_hold=1.")).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
