using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Core.Audit.Seals;

namespace CloudArchive.Cli.Commands.Audit;

/// <summary>
/// <c>cloudarchive audit seal [--hour H] [--json]</c>: seals the closed hours not yet sealed (what the hourly
/// <c>AuditSeal</c> timer does), or one hour; an hour already sealed is verified, never rewritten. Sealing is audited
/// under the CLI's actor.
/// </summary>
public static class AuditSealCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var hour = new Option<string?>("--hour") { Description = "Seal (or re-verify) this one closed hour, ISO 8601, UTC unless an offset is given; default every due hour" };
        var json = JsonOutput.Option();
        var connection = OperationsRunner.ConnectionStringOption();
        var settingsFile = OperationsRunner.SettingsFileOption();
        var command = new Command("seal", "Seal closed hours of the audit log (signed RFC 6962 Merkle roots, chained). Exit codes: 0 sealed or already sealed and intact, 1 an existing seal did not verify, 2 usage/configuration (e.g. the hour is still open), 3 storage or key error.")
        {
            hour, json, connection, settingsFile,
        };
        command.SetAction((parse, cancellationToken) => OperationsRunner.RunAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var one = AuditTimeParser.Parse(parse.GetValue(hour), "--hour");
            using var services = ArchiveServices.Open(ArchiveSettings.Load(parse.GetValue(connection), parse.GetValue(settingsFile)));
            var sealer = services.Get<AuditSealer>();
            var correlationId = "cli-" + Guid.NewGuid().ToString("N");
            AuditSealRun run;
            try
            {
                run = one is { } h
                    ? new AuditSealRun([await sealer.SealHourAsync(h, AuditLogAccess.CliActor, correlationId, cancellationToken).ConfigureAwait(false)], false)
                    : await sealer.SealDueAsync(AuditLogAccess.CliActor, correlationId, cancellationToken).ConfigureAwait(false);
            }
            catch (AuditSealException ex)
            {
                throw new UsageException(ex.Message);
            }

            var findings = run.Findings.ToList();
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(output, new JsonObject
                {
                    ["sealed"] = run.Created,
                    ["alreadySealed"] = run.Outcomes.Count - run.Created,
                    ["moreDue"] = run.MoreDue,
                    ["hours"] = JsonOutput.Array(run.Outcomes.Select(o => (JsonNode?)new JsonObject
                    {
                        ["hour"] = o.Hour.UtcDateTime.ToString("yyyy-MM-dd'T'HH':00Z'", CultureInfo.InvariantCulture),
                        ["created"] = o.Created,
                        ["lines"] = o.Seal.Lines,
                        ["blobs"] = o.Seal.Blobs.Count,
                        ["root"] = o.Seal.Root,
                        ["findings"] = JsonOutput.Strings(o.Findings.Select(f => f.ToString())),
                    })),
                }).ConfigureAwait(false);
            }
            else
            {
                foreach (var outcome in run.Outcomes)
                {
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{outcome.Hour.UtcDateTime:yyyy-MM-dd'T'HH':00Z'}: {(outcome.Created ? "sealed" : "already sealed")}, {outcome.Seal.Lines} line(s) in {outcome.Seal.Blobs.Count} blob(s), root {outcome.Seal.Root}")).ConfigureAwait(false);
                }

                foreach (var finding in findings)
                {
                    await output.WriteLineAsync(finding.ToString()).ConfigureAwait(false);
                }

                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{run.Created} hour(s) sealed, {run.Outcomes.Count - run.Created} already sealed{(run.MoreDue ? "; more hours are due, run again" : string.Empty)}.")).ConfigureAwait(false);
            }

            return findings.Count == 0 ? ExitCodes.Success : ExitCodes.Attention;
        }, cancellationToken));
        return command;
    }
}
