using System.CommandLine;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Core.Ingest.Quarantine;

namespace CloudArchive.Cli.Commands.Quarantine;

/// <summary>
/// <c>cloudarchive quarantine release ID --reason CODE</c>: deletes the copy and its reason document. Refused while a
/// legal hold covers the upload's study. Audited either way (110105, or 110113 for the refusal).
/// </summary>
public static class QuarantineReleaseCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var id = new Argument<string>("ID") { Description = "The quarantine id (from `quarantine list` or `status`)" };
        var reason = new Option<string>("--reason") { Description = "Why (a code recorded in the audit log), e.g. not-ours, duplicate-sent, test-upload", Required = true };
        var settingsFile = OperationsRunner.SettingsFileOption();
        var connection = OperationsRunner.ConnectionStringOption();
        var command = new Command("release", "Delete a quarantined upload for good. Exit codes: 0 deleted, 2 usage/configuration, 3 storage error, 4 not found or refused: legal hold.")
        {
            id, reason, settingsFile, connection,
        };
        command.SetAction((parse, cancellationToken) => OperationsRunner.RunAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var quarantineId = QuarantineSession.RequireId(parse.GetValue(id));
            var why = parse.GetValue(reason) ?? string.Empty;
            if (why.Length is 0 or > 64 || !char.IsAsciiLetterOrDigit(why[0]) || !why.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or ':'))
            {
                throw new UsageException("--reason must be a short code ([A-Za-z0-9._:-], up to 64 characters), not free text.");
            }

            using var session = QuarantineSession.Open(ArchiveSettings.Load(parse.GetValue(connection), parse.GetValue(settingsFile)));
            try
            {
                await session.Operations.ReleaseAsync(quarantineId, why, QuarantineSession.Actor, cancellationToken).ConfigureAwait(false);
                await parse.InvocationConfiguration.Output.WriteLineAsync($"{quarantineId}: released (copy and reason deleted).").ConfigureAwait(false);
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
