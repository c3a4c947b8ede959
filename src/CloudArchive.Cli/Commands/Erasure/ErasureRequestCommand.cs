using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Core.Lifecycle;
using CloudArchive.Core.Lifecycle.Erasure;

namespace CloudArchive.Cli.Commands.Erasure;

/// <summary>
/// <c>cloudarchive erasure request --patient-id ID [--issuer I] --basis TEXT [--dry-run] [--json]</c>. The Patient ID
/// becomes the pseudonym at once and is never printed, stored or logged; the basis goes to the erasure record only.
/// </summary>
public static class ErasureRequestCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var patientId = new Option<string>("--patient-id") { Description = "The patient's Patient ID (0010,0020)", Required = true };
        var issuer = new Option<string?>("--issuer") { Description = "Issuer of Patient ID (0010,0021), if the images carry one" };
        var basis = new Option<string>("--basis") { Description = "The legal basis or the request's reference (kept in the erasure record in control)", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would happen; change and record nothing" };
        var json = JsonOutput.Option();
        var settingsFile = OperationsRunner.SettingsFileOption();
        var connection = OperationsRunner.ConnectionStringOption();
        var command = new Command("request", "Erase a patient's studies: each is crypto-shredded, its research copies withdrawn and its instances deleted, unless a legal hold or a retention obligation refuses it (recorded and audited). Exit codes: 0 all erased, 1 some refused, 2 usage, 3 storage error, 4 all refused or no studies.")
        {
            patientId, issuer, basis, dryRun, json, settingsFile, connection,
        };
        command.SetAction((parse, cancellationToken) => OperationsRunner.RunAsync(parse.InvocationConfiguration.Error, async () =>
        {
            using var session = LifecycleSession.Open(ArchiveSettings.Load(parse.GetValue(connection), parse.GetValue(settingsFile)));
            ErasureResult result;
            try
            {
                result = await LifecycleSession.GuardAsync(() => session.Erasure.RequestAsync(
                    new ErasureRequest(parse.GetValue(patientId)!, parse.GetValue(issuer), parse.GetValue(basis)!, LifecycleSession.Actor, parse.GetValue(dryRun), session.CorrelationId),
                    cancellationToken)).ConfigureAwait(false);
            }
            catch (LifecycleException ex) when (ex.Reason == LifecycleFailureReason.InvalidRequest)
            {
                throw new UsageException(ex.Message);
            }

            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                var studies = new JsonArray();
                foreach (var s in result.Studies)
                {
                    studies.Add((JsonNode)new JsonObject { ["studyKey"] = s.StudyKey, ["decision"] = s.DecisionCode, ["instances"] = s.Instances, ["retainUntil"] = s.RetainUntil });
                }

                await JsonOutput.WriteAsync(output, new JsonObject
                {
                    ["requestId"] = result.RequestId,
                    ["patient"] = result.PatientPseudonym,
                    ["dryRun"] = result.DryRun,
                    ["studies"] = studies,
                }).ConfigureAwait(false);
            }
            else
            {
                var verb = result.DryRun ? "Dry run (nothing changed)" : $"Erasure request {result.RequestId}";
                await output.WriteLineAsync($"{verb}: patient {result.PatientPseudonym}, {result.Studies.Count} studies.").ConfigureAwait(false);
                foreach (var s in result.Studies)
                {
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {s.StudyKey}  {s.DecisionCode,-30} {s.Instances} instances, retain until {s.RetainUntil ?? "?"}")).ConfigureAwait(false);
                }
            }

            var erased = result.Studies.Count(s => s.Decision == ErasureDecision.Erase);
            return result.Studies.Count == 0 || erased == 0 ? ExitCodes.Refused : erased < result.Studies.Count ? ExitCodes.Attention : ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
