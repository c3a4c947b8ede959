using System.CommandLine;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Core.Ingest.Quarantine;

namespace CloudArchive.Cli.Commands.Quarantine;

/// <summary>
/// <c>cloudarchive quarantine retry ID</c>: streams the decrypted upload back into <c>incoming</c> as
/// <c>retry/{id}.dcm</c>, which the ingest picks up like any upload; the copy is then deleted and its reason document
/// says so. Audited (110104). Safe to repeat.
/// </summary>
public static class QuarantineRetryCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var id = new Argument<string>("ID") { Description = "The quarantine id (from `quarantine list` or `status`)" };
        var json = JsonOutput.Option();
        var settingsFile = OperationsRunner.SettingsFileOption();
        var connection = OperationsRunner.ConnectionStringOption();
        var command = new Command("retry", "Send a quarantined upload back through the ingest (after fixing a policy, a setting or the archive). Exit codes: 0 re-enqueued, 2 usage/configuration, 3 storage error, 4 not found or undecryptable.")
        {
            id, json, settingsFile, connection,
        };
        command.SetAction((parse, cancellationToken) => OperationsRunner.RunAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var quarantineId = QuarantineSession.RequireId(parse.GetValue(id));
            using var session = QuarantineSession.Open(ArchiveSettings.Load(parse.GetValue(connection), parse.GetValue(settingsFile)));
            try
            {
                var incoming = await session.Operations.RetryAsync(quarantineId, QuarantineSession.Actor, cancellationToken).ConfigureAwait(false);
                if (parse.GetValue(json))
                {
                    await JsonOutput.WriteAsync(parse.InvocationConfiguration.Output, new System.Text.Json.Nodes.JsonObject { ["id"] = quarantineId, ["incoming"] = incoming }).ConfigureAwait(false);
                }
                else
                {
                    await parse.InvocationConfiguration.Output.WriteLineAsync($"{quarantineId}: re-enqueued as incoming/{incoming}; the ingest takes it from there (see `cloudarchive status`).").ConfigureAwait(false);
                }

                return ExitCodes.Success;
            }
            catch (QuarantineException ex)
            {
                return await QuarantineSession.RefusedAsync(parse.InvocationConfiguration.Error, ex).ConfigureAwait(false);
            }
        }, cancellationToken));
        return command;
    }
}
