using System.CommandLine;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Core.Ingest.Quarantine;
using Spectre.Console;

namespace CloudArchive.Cli.Commands.Quarantine;

/// <summary>
/// <c>cloudarchive quarantine show ID [--json]</c>: the reason document and the header facts of the decrypted copy that
/// carry no patient data (Part 10 or not, transfer syntax, SOP class, modality, opaque keys). Audited as access (110103).
/// </summary>
public static class QuarantineShowCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var id = new Argument<string>("ID") { Description = "The quarantine id (from `quarantine list` or `status`)" };
        var json = JsonOutput.Option();
        var settingsFile = OperationsRunner.SettingsFileOption();
        var connection = OperationsRunner.ConnectionStringOption();
        var command = new Command("show", "Show one quarantined upload: its reason and the non-PHI header facts of its decrypted copy. Exit codes: 0 shown, 2 usage/configuration, 3 storage error, 4 not found, copy gone (retried) or undecryptable.")
        {
            id, json, settingsFile, connection,
        };
        command.SetAction((parse, cancellationToken) => OperationsRunner.RunAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var quarantineId = QuarantineSession.RequireId(parse.GetValue(id));
            using var session = QuarantineSession.Open(ArchiveSettings.Load(parse.GetValue(connection), parse.GetValue(settingsFile)));
            try
            {
                var (entry, facts) = await session.Operations.ShowAsync(quarantineId, QuarantineSession.Actor, cancellationToken).ConfigureAwait(false);
                if (parse.GetValue(json))
                {
                    var document = QuarantineJson.Entry(entry);
                    document["header"] = QuarantineJson.Facts(facts);
                    await JsonOutput.WriteAsync(parse.InvocationConfiguration.Output, document).ConfigureAwait(false);
                    return ExitCodes.Success;
                }

                var console = OperationsRunner.Console(parse.InvocationConfiguration.Output);
                var table = new Table().Title("Quarantined upload " + quarantineId).AddColumns("field", "value");
                void Row(string name, object? value) => table.AddRow(name, Markup.Escape(value?.ToString() ?? "-"));
                var r = entry.Record!;
                Row("reason", r.Reason);
                Row("message", r.Message);
                Row("quarantined (UTC)", r.Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
                Row("age", QuarantineJson.Age(entry.Age));
                Row("retain until", r.RetainUntil);
                Row("encrypted under", r.EncryptedUnder + " key");
                Row("study key", r.StudyKey);
                Row("instance key", r.InstanceKey);
                Row("bytes", facts.Length);
                Row("Part 10", facts.Part10 ? "yes" : "no");
                Row("header", facts.ReadProblem ?? "readable");
                Row("transfer syntax", facts.TransferSyntaxUid);
                Row("SOP class", facts.SopClassUid);
                Row("meta SOP class", facts.MediaStorageSopClassUid);
                Row("meta instance matches", facts.MetaInstanceMatches is { } m ? (m ? "yes" : "no") : null);
                Row("modality", facts.Modality);
                console.Write(table);
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
