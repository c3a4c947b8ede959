using System.CommandLine;
using System.Text;
using System.Text.Json;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Deidentification;
using CloudArchive.Research.Agreements;
using Spectre.Console;

namespace CloudArchive.Cli.Commands.Agreements;

/// <summary>
/// <c>cloudarchive agreements create|list|show|close</c>: data-sharing agreements in the <c>control</c> container
/// (schema in docs/research.md). Exit codes (<see cref="ExitCodes"/>): 0 done, 2 usage or invalid agreement, 3 storage
/// error, 4 not found or refused (id taken, already closed, changed concurrently).
/// </summary>
public static class AgreementsCommands
{
    /// <summary>Creates the <c>agreements</c> command group.</summary>
    public static Command Create()
    {
        var group = new Command("agreements", "Data-sharing agreements: who receives de-identified copies of which studies, for what, until when");
        group.Add(CreateCommand());
        group.Add(ListCommand());
        group.Add(ShowCommand());
        group.Add(CloseCommand());
        return group;
    }

    /// <summary>Runs an agreement action with the shared error handling plus the agreement-specific failures.</summary>
    internal static Task<int> RunAsync(ParseResult parse, Func<Task<int>> run, CancellationToken cancellationToken) =>
        OperationsRunner.RunAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var error = parse.InvocationConfiguration.Error;
            try
            {
                return await ResearchAdminSession.GuardAsync(run).ConfigureAwait(false);
            }
            catch (AgreementFormatException ex)
            {
                await error.WriteLineAsync("error: invalid agreement: " + ex.Message).ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            catch (DeidConfigurationException ex)
            {
                await error.WriteLineAsync("error: invalid de-identification settings: " + ex.Message).ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            catch (AgreementOperationException ex)
            {
                await error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
                return ExitCodes.Refused; // not found, id taken, already closed: all refusals
            }
        }, cancellationToken);

    private static Command CreateCommand()
    {
        var file = new Option<FileInfo?>("--file") { Description = "An agreement JSON file (schema cloudarchive/agreement/v1 without status/created/closed fields); excludes the other definition options" };
        var id = new Option<string?>("--id") { Description = "Agreement id: 3-63 lowercase letters, digits, hyphens (used in blob names and paths)" };
        var purpose = new Option<string?>("--purpose") { Description = "PurposeOfUse code, e.g. HRESCH" };
        var recipients = new Option<string[]>("--recipient") { Description = "Entra object or group id of a recipient (repeatable)", AllowMultipleArgumentsPerToken = false };
        var validFrom = new Option<string?>("--valid-from") { Description = "Start: a date (00:00 UTC) or an ISO 8601 date-time with offset" };
        var validUntil = new Option<string?>("--valid-until") { Description = "End: a date (valid through that day, UTC) or an ISO 8601 date-time with offset (exclusive)" };
        var retention = new Option<string?>("--copy-retention") { Description = "How long research copies are kept, ISO 8601 period (e.g. P2Y)" };
        var title = new Option<string?>("--title") { Description = "A short title (no patient data)" };
        var modalities = new Option<string[]>("--modality") { Description = "Select this modality (repeatable), e.g. CT" };
        var bodyParts = new Option<string[]>("--body-part") { Description = "Select this Body Part Examined (repeatable), e.g. CHEST" };
        var sopClasses = new Option<string[]>("--sop-class") { Description = "Select this SOP Class UID (repeatable)" };
        var dateFrom = new Option<string?>("--study-date-from") { Description = "First study date selected (yyyy-MM-dd)" };
        var dateTo = new Option<string?>("--study-date-to") { Description = "Last study date selected (yyyy-MM-dd)" };
        var profile = new Option<FileInfo?>("--profile") { Description = "De-identification profile JSON (data/deid/*.profile.json schema), embedded in the agreement" };
        var options = new Option<string?>("--options") { Description = "PS3.15 options added to the profile's, comma-separated (e.g. retainLongitudinalModifiedDates)" };
        var noConsent = new Option<bool>("--no-consent-required") { Description = "Consent waived (e.g. by an ethics board); recorded withdrawals and denials still exclude" };
        var settingsFile = OperationsRunner.SettingsFileOption();
        var connection = OperationsRunner.ConnectionStringOption();
        var command = new Command("create", "Record a new agreement and create its de-identification secret in the keyring")
        {
            file, id, purpose, recipients, validFrom, validUntil, retention, title, modalities, bodyParts, sopClasses, dateFrom, dateTo, profile, options, noConsent,
            settingsFile, connection,
        };
        command.SetAction((parse, ct) => RunAsync(parse, async () =>
        {
            AgreementDraft draft;
            if (parse.GetValue(file) is { } f)
            {
                var definitionOptions = new Option[] { id, purpose, recipients, validFrom, validUntil, retention, title, modalities, bodyParts, sopClasses, dateFrom, dateTo, profile, options, noConsent };
                if (definitionOptions.Any(o => parse.GetResult(o) is { Implicit: false }))
                {
                    throw new UsageException("--file defines the whole agreement; do not combine it with other definition options.");
                }

                draft = AgreementJson.ParseDraft(await ReadFileAsync(f, ct).ConfigureAwait(false));
            }
            else
            {
                draft = new AgreementDraft
                {
                    Id = parse.GetValue(id) ?? throw new UsageException("--id is required (or --file)."),
                    PurposeOfUse = parse.GetValue(purpose) ?? throw new UsageException("--purpose is required (or --file)."),
                    Recipients = parse.GetValue(recipients) is { Length: > 0 } r ? r : throw new UsageException("at least one --recipient is required (or --file)."),
                    ValidFrom = CliTimes.Start(parse.GetValue(validFrom) ?? throw new UsageException("--valid-from is required (or --file)."), "--valid-from"),
                    ValidUntil = CliTimes.End(parse.GetValue(validUntil) ?? throw new UsageException("--valid-until is required (or --file)."), "--valid-until"),
                    CopyRetention = parse.GetValue(retention) ?? throw new UsageException("--copy-retention is required (or --file)."),
                    Title = parse.GetValue(title),
                    Selection = new AgreementSelection
                    {
                        Modalities = parse.GetValue(modalities) ?? [],
                        BodyParts = parse.GetValue(bodyParts) ?? [],
                        SopClassUids = parse.GetValue(sopClasses) ?? [],
                        StudyDateFrom = parse.GetValue(dateFrom) is { } from ? CliTimes.Date(from, "--study-date-from") : null,
                        StudyDateTo = parse.GetValue(dateTo) is { } to ? CliTimes.Date(to, "--study-date-to") : null,
                    },
                    Deidentification = await DeidentificationAsync(parse.GetValue(profile), parse.GetValue(options), ct).ConfigureAwait(false),
                    ConsentRequired = !parse.GetValue(noConsent),
                };
            }

            using var session = ResearchAdminSession.Open(ArchiveSettings.Load(parse.GetValue(connection), parse.GetValue(settingsFile)));
            var created = await session.Agreements().CreateAsync(draft, ResearchAdminSession.Actor, ct).ConfigureAwait(false);
            var console = OperationsRunner.Console(parse.InvocationConfiguration.Output);
            console.MarkupLine(Markup.Escape($"Agreement {created.Id} created: {created.PurposeOfUse}, {created.Recipients.Count} recipient(s), valid {created.ValidFrom:u} to {created.ValidUntil:u}, consent {(created.ConsentRequired ? "required" : "waived")}, profile {created.Deidentification.ProfileName}."));
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static Command ListCommand()
    {
        var settingsFile = OperationsRunner.SettingsFileOption();
        var connection = OperationsRunner.ConnectionStringOption();
        var json = JsonOutput.Option("Print the agreements' JSON documents (with inForce) as one array");
        var command = new Command("list", "List every agreement") { json, settingsFile, connection };
        command.SetAction((parse, ct) => RunAsync(parse, async () =>
        {
            using var session = ResearchAdminSession.Open(ArchiveSettings.Load(parse.GetValue(connection), parse.GetValue(settingsFile)));
            var now = DateTimeOffset.UtcNow;
            var table = new Table().AddColumns("Id", "Status", "Purpose", "Valid from", "Valid until", "In force", "Recipients", "Consent", "Profile");
            var asJson = parse.GetValue(json);
            var documents = new System.Text.Json.Nodes.JsonArray();
            var count = 0;
            await foreach (var stored in session.Agreements().ListAsync(ct).ConfigureAwait(false))
            {
                var a = stored.Agreement;
                count++;
                if (asJson)
                {
                    var document = System.Text.Json.Nodes.JsonNode.Parse(AgreementJson.Serialize(a))!.AsObject();
                    document["inForce"] = a.IsInForceAt(now);
                    documents.Add((System.Text.Json.Nodes.JsonNode)document);
                    continue;
                }

                table.AddRow(
                    Markup.Escape(a.Id),
                    AgreementJson.StatusCode(a.Status),
                    a.PurposeOfUse,
                    a.ValidFrom.ToString("u", System.Globalization.CultureInfo.InvariantCulture),
                    a.ValidUntil.ToString("u", System.Globalization.CultureInfo.InvariantCulture),
                    a.IsInForceAt(now) ? "yes" : "no",
                    a.Recipients.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    a.ConsentRequired ? "required" : "waived",
                    Markup.Escape(a.Deidentification.ProfileName));
            }

            if (asJson)
            {
                await JsonOutput.WriteAsync(parse.InvocationConfiguration.Output, documents).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var console = OperationsRunner.Console(parse.InvocationConfiguration.Output);
            if (count == 0)
            {
                console.MarkupLine("No agreements.");
            }
            else
            {
                console.Write(table);
            }

            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static Command ShowCommand()
    {
        var id = new Argument<string>("id") { Description = "Agreement id" };
        var settingsFile = OperationsRunner.SettingsFileOption();
        var connection = OperationsRunner.ConnectionStringOption();
        var json = JsonOutput.Option("Accepted for consistency: show always prints the agreement's JSON document");
        var command = new Command("show", "Print an agreement's JSON document") { id, json, settingsFile, connection };
        command.SetAction((parse, ct) => RunAsync(parse, async () =>
        {
            var agreementId = parse.GetValue(id)!;
            if (!DataSharingAgreement.IsValidId(agreementId))
            {
                throw new UsageException("the id must be 3-63 lowercase letters, digits and hyphens.");
            }

            using var session = ResearchAdminSession.Open(ArchiveSettings.Load(parse.GetValue(connection), parse.GetValue(settingsFile)));
            var stored = await session.Agreements().GetAsync(agreementId, ct).ConfigureAwait(false);
            await parse.InvocationConfiguration.Output.WriteLineAsync(Encoding.UTF8.GetString(AgreementJson.Serialize(stored.Agreement))).ConfigureAwait(false);
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static Command CloseCommand()
    {
        var id = new Argument<string>("id") { Description = "Agreement id" };
        var reason = new Option<string>("--reason") { Description = "Why the agreement is closed (recorded in the agreement; no patient data)", Required = true };
        var settingsFile = OperationsRunner.SettingsFileOption();
        var connection = OperationsRunner.ConnectionStringOption();
        var command = new Command("close", "Close an agreement: no further exports or fetches") { id, reason, settingsFile, connection };
        command.SetAction((parse, ct) => RunAsync(parse, async () =>
        {
            var agreementId = parse.GetValue(id)!;
            if (!DataSharingAgreement.IsValidId(agreementId))
            {
                throw new UsageException("the id must be 3-63 lowercase letters, digits and hyphens.");
            }

            using var session = ResearchAdminSession.Open(ArchiveSettings.Load(parse.GetValue(connection), parse.GetValue(settingsFile)));
            var closed = await session.Agreements().CloseAsync(agreementId, parse.GetValue(reason)!, ResearchAdminSession.Actor, null, ct).ConfigureAwait(false);
            OperationsRunner.Console(parse.InvocationConfiguration.Output).MarkupLine(Markup.Escape($"Agreement {closed.Id} closed at {closed.ClosedAt:u}."));
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static async Task<AgreementDeidentification> DeidentificationAsync(FileInfo? profileFile, string? options, CancellationToken cancellationToken)
    {
        var keys = AgreementDeidSettings.CanonicalOptionKeys(options);
        if (profileFile is null)
        {
            return new AgreementDeidentification { Options = keys };
        }

        var bytes = await ReadFileAsync(profileFile, cancellationToken).ConfigureAwait(false);
        JsonElement profile;
        try
        {
            // Profiles may carry comments; the embedded copy is plain JSON.
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            profile = doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new UsageException($"--profile is not valid JSON (line {(ex.LineNumber ?? 0) + 1}).");
        }

        return new AgreementDeidentification { Profile = profile, ProfileName = AgreementDeidSettings.ProfileNameOf(profile), Options = keys };
    }

    private static async Task<byte[]> ReadFileAsync(FileInfo file, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            throw new UsageException($"File '{file.FullName}' does not exist.");
        }

        if (file.Length > 1024 * 1024)
        {
            throw new UsageException($"File '{file.FullName}' is larger than 1 MiB.");
        }

        return await File.ReadAllBytesAsync(file.FullName, cancellationToken).ConfigureAwait(false);
    }
}
