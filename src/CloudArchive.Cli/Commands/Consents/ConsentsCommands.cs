using System.CommandLine;
using System.Globalization;
using System.Text;
using CloudArchive.Cli.Commands.Agreements;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Research.Consent;
using Spectre.Console;

namespace CloudArchive.Cli.Commands.Consents;

/// <summary>
/// <c>cloudarchive consents import|revoke|show</c>: the consent registry, keyed by patient pseudonym (formats in
/// docs/research.md). Patient ids given on the command line or in files are pseudonymized and never printed. Exit
/// codes (<see cref="ExitCodes"/>): 0 done, 1 import with row errors, 2 usage or unreadable file, 3 storage error, 4 no consent recorded.
/// </summary>
public static class ConsentsCommands
{
    /// <summary>Creates the <c>consents</c> command group.</summary>
    public static Command Create()
    {
        var group = new Command("consents", "The research consent registry (keyed by patient pseudonym)");
        group.Add(ImportCommand());
        group.Add(RevokeCommand());
        group.Add(ShowCommand());
        return group;
    }

    private static Task<int> RunAsync(ParseResult parse, Func<Task<int>> run, CancellationToken cancellationToken) =>
        AgreementsCommands.RunAsync(parse, async () =>
        {
            try
            {
                return await run().ConfigureAwait(false);
            }
            catch (ConsentFormatException ex)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
                return ExitCodes.Usage;
            }
        }, cancellationToken);

    private static Command ImportCommand()
    {
        var csv = new Option<FileInfo?>("--csv") { Description = "A CSV file with a header row (columns in docs/research.md)" };
        var fhir = new Option<FileInfo?>("--fhir") { Description = "A FHIR R4 Consent or a Bundle of Consents (JSON)" };
        var strict = new Option<bool>("--strict") { Description = "Import nothing if any row has an error" };
        var settingsFile = OperationsRunner.SettingsFileOption();
        var connection = OperationsRunner.ConnectionStringOption();
        var json = JsonOutput.Option("Print the counts and the errors by line as JSON");
        var command = new Command("import", "Import consents from CSV or FHIR; prints imported/updated/unchanged counts and errors by line") { csv, fhir, strict, json, settingsFile, connection };
        command.SetAction((parse, ct) => RunAsync(parse, async () =>
        {
            var (csvFile, fhirFile) = (parse.GetValue(csv), parse.GetValue(fhir));
            if ((csvFile is null) == (fhirFile is null))
            {
                throw new UsageException("give exactly one of --csv FILE or --fhir FILE.");
            }

            var file = (csvFile ?? fhirFile)!;
            if (!file.Exists)
            {
                throw new UsageException($"File '{file.FullName}' does not exist.");
            }

            using var session = ResearchAdminSession.Open(ArchiveSettings.Load(parse.GetValue(connection), parse.GetValue(settingsFile)));
            var service = await session.ConsentsAsync(ct).ConfigureAwait(false);
            ConsentImportResult result;
            await using (var stream = File.OpenRead(file.FullName))
            {
                result = csvFile is not null
                    ? await service.ImportCsvAsync(stream, parse.GetValue(strict), ResearchAdminSession.Actor, ct).ConfigureAwait(false)
                    : await service.ImportFhirAsync(stream, parse.GetValue(strict), ResearchAdminSession.Actor, ct).ConfigureAwait(false);
            }

            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(output, new System.Text.Json.Nodes.JsonObject
                {
                    ["imported"] = result.Imported,
                    ["updated"] = result.Updated,
                    ["unchanged"] = result.Unchanged,
                    ["errors"] = JsonOutput.Strings(result.Errors.Select(e => e.ToString())),
                    ["abortedByStrictMode"] = result.AbortedByStrictMode,
                }).ConfigureAwait(false);
            }
            else
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"imported {result.Imported}, updated {result.Updated}, unchanged {result.Unchanged}, errors {result.Errors.Count}")).ConfigureAwait(false);
                foreach (var error in result.Errors)
                {
                    await output.WriteLineAsync("  " + error).ConfigureAwait(false);
                }
            }

            if (result.AbortedByStrictMode)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync("error: --strict: nothing was imported because of the errors above.").ConfigureAwait(false);
            }

            return result.Errors.Count == 0 ? ExitCodes.Success : ExitCodes.Attention;
        }, ct));
        return command;
    }

    private static Command RevokeCommand()
    {
        var (patient, issuer) = PatientOptions();
        var reason = new Option<string?>("--reason") { Description = "Why (kept in the record, not in the audit log; no patient data)" };
        var noExports = new Option<bool>("--no-export-requests") { Description = "Do not queue a re-export of every agreement in force (their next runs remove the patient's copies)" };
        var settingsFile = OperationsRunner.SettingsFileOption();
        var connection = OperationsRunner.ConnectionStringOption();
        var json = JsonOutput.Option("Print the revocation and the queued re-exports as JSON");
        var command = new Command("revoke", "Revoke a patient's consent (status inactive) and queue a re-export of every agreement in force, which removes the patient's copies") { patient, issuer, reason, noExports, json, settingsFile, connection };
        command.SetAction((parse, ct) => RunAsync(parse, async () =>
        {
            var settings = ArchiveSettings.Load(parse.GetValue(connection), parse.GetValue(settingsFile));
            using var session = ResearchAdminSession.Open(settings);
            var service = await session.ConsentsAsync(ct).ConfigureAwait(false);
            var patientId = RequirePatient(parse.GetValue(patient));
            var pseudonym = service.PseudonymOf(patientId, parse.GetValue(issuer));
            var revoked = await service.RevokeAsync(patientId, parse.GetValue(issuer), parse.GetValue(reason), ResearchAdminSession.Actor, ct).ConfigureAwait(false);
            if (revoked is null)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"error: no consent is recorded for patient {pseudonym}.").ConfigureAwait(false);
                return ExitCodes.Refused;
            }

            var asJson = parse.GetValue(json);
            var console = OperationsRunner.Console(asJson ? parse.InvocationConfiguration.Error : parse.InvocationConfiguration.Output);
            var queued = new System.Text.Json.Nodes.JsonArray();
            console.MarkupLine(Markup.Escape($"Consent of patient {pseudonym} revoked at {revoked.RecordedAt:u}."));
            if (!parse.GetValue(noExports))
            {
                // A withdrawal must reach copies already released, not wait for someone to remember every agreement:
                // each queued run removes this patient's copies from that agreement's output (audited 110106 Delete).
                var now = DateTimeOffset.UtcNow;
                await foreach (var stored in session.Agreements().ListAsync(ct).ConfigureAwait(false))
                {
                    if (stored.Agreement.IsInForceAt(now))
                    {
                        var (queue, _) = await Export.ExportRequestQueue.EnqueueAsync(settings, stored.Agreement.Id, ct).ConfigureAwait(false);
                        console.MarkupLine(Markup.Escape($"Queued a re-export of agreement {stored.Agreement.Id} on '{queue}'."));
                        queued.Add((System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject { ["agreement"] = stored.Agreement.Id, ["queue"] = queue });
                    }
                }
            }

            if (asJson)
            {
                await JsonOutput.WriteAsync(parse.InvocationConfiguration.Output, new System.Text.Json.Nodes.JsonObject
                {
                    ["patient"] = pseudonym,
                    ["revokedAt"] = revoked.RecordedAt,
                    ["reExportsQueued"] = queued,
                }).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static Command ShowCommand()
    {
        var (patient, issuer) = PatientOptions();
        var settingsFile = OperationsRunner.SettingsFileOption();
        var connection = OperationsRunner.ConnectionStringOption();
        var json = JsonOutput.Option("Accepted for consistency: show always prints the consent record's JSON");
        var command = new Command("show", "Print a patient's consent record (found by pseudonym; the patient id is not printed)") { patient, issuer, json, settingsFile, connection };
        command.SetAction((parse, ct) => RunAsync(parse, async () =>
        {
            using var session = ResearchAdminSession.Open(ArchiveSettings.Load(parse.GetValue(connection), parse.GetValue(settingsFile)));
            var service = await session.ConsentsAsync(ct).ConfigureAwait(false);
            var patientId = RequirePatient(parse.GetValue(patient));
            var pseudonym = service.PseudonymOf(patientId, parse.GetValue(issuer));
            var record = await service.GetAsync(patientId, parse.GetValue(issuer), ct).ConfigureAwait(false);
            if (record is null)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"error: no consent is recorded for patient {pseudonym}.").ConfigureAwait(false);
                return ExitCodes.Refused;
            }

            await parse.InvocationConfiguration.Output.WriteLineAsync(Encoding.UTF8.GetString(ConsentJson.Serialize(record))).ConfigureAwait(false);
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static (Option<string> Patient, Option<string?> Issuer) PatientOptions() =>
        (new Option<string>("--patient-id") { Description = "Patient ID as in DICOM (0010,0020); pseudonymized, never printed", Required = true },
         new Option<string?>("--issuer") { Description = "Issuer of Patient ID as in DICOM (0010,0021), if the archive's studies carry one" });

    private static string RequirePatient(string? patientId) =>
        string.IsNullOrWhiteSpace(patientId) ? throw new UsageException("--patient-id must not be empty.") : patientId;
}
