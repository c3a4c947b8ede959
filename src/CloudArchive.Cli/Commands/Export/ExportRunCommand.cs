using System.CommandLine;
using System.Globalization;
using CloudArchive.Cli.Commands.Audit;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Research.Agreements;
using CloudArchive.Research.Export;
using Spectre.Console;

namespace CloudArchive.Cli.Commands.Export;

/// <summary>
/// <c>cloudarchive export run --agreement ID [--queue]</c>: exports (or refreshes) an agreement's research copies
/// in-process with a progress bar and prints the summary, or with <c>--queue</c> enqueues an export request for the
/// function app (<c>export-requests</c>).
/// </summary>
public static class ExportRunCommand
{
    /// <summary>Exit code when the export was refused (agreement missing, closed, not in force, unusable de-identification).</summary>
    public const int Refused = ExitCodes.Refused;

    /// <summary>The default queue of export requests.</summary>
    public const string DefaultQueue = ExportRequestQueue.DefaultQueue;

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var agreement = new Option<string>("--agreement") { Description = "The agreement id", Required = true };
        var queue = new Option<bool>("--queue") { Description = "Enqueue an export request for the function app instead of exporting here" };
        var parallelism = new Option<int>("--parallelism") { Description = "Studies (and instances) processed at the same time", DefaultValueFactory = _ => 2 };
        var json = JsonOutput.Option("Print the run's summary (or the queued request) as JSON");
        var settingsFile = OperationsRunner.SettingsFileOption();
        var connection = OperationsRunner.ConnectionStringOption();
        var command = new Command("run", "Export an agreement's de-identified research copies. Exit codes: 0 done/queued, 1 failed, 2 usage, 3 storage error, 4 refused (agreement not in force).")
        {
            agreement, queue, parallelism, json, settingsFile, connection,
        };
        command.SetAction((parse, cancellationToken) => OperationsRunner.RunAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var id = parse.GetValue(agreement)!;
            if (!DataSharingAgreement.IsValidId(id))
            {
                throw new UsageException("--agreement must be an agreement id (3-63 of a-z, 0-9 and '-').");
            }

            var parallel = parse.GetValue(parallelism);
            if (parallel is < 1 or > 64)
            {
                throw new UsageException("--parallelism must be between 1 and 64.");
            }

            var asJson = parse.GetValue(json);
            var output = parse.InvocationConfiguration.Output;
            var console = OperationsRunner.Console(asJson ? parse.InvocationConfiguration.Error : output);
            var settings = ArchiveSettings.Load(parse.GetValue(connection), parse.GetValue(settingsFile));
            if (parse.GetValue(queue))
            {
                var (queueName, messageId) = await ExportRequestQueue.EnqueueAsync(settings, id, cancellationToken).ConfigureAwait(false);
                if (asJson)
                {
                    await JsonOutput.WriteAsync(output, new System.Text.Json.Nodes.JsonObject { ["agreement"] = id, ["queue"] = queueName, ["messageId"] = messageId }).ConfigureAwait(false);
                }
                else
                {
                    console.WriteLine($"Queued an export of agreement {id} on '{queueName}' (message {messageId}). The function app's ExportResearchCopies runs it; its summary is in the function log and the manifest.");
                }

                return ExitCodes.Success;
            }

            using var session = ExportSession.Open(settings, parallel);
            try
            {
                var request = new ResearchExportRequest { AgreementId = id, RequestedBy = AuditLogAccess.Actor, CorrelationId = "cli-" + Guid.NewGuid().ToString("N") };
                var result = await RunWithProgressAsync(console, id, progress => session.Exporter.ExportAsync(request, progress, cancellationToken)).ConfigureAwait(false);
                if (asJson)
                {
                    await JsonOutput.WriteAsync(output, SummaryJson(result.Manifest)).ConfigureAwait(false);
                }
                else
                {
                    WriteSummary(console, result.Manifest);
                }

                return ExitCodes.Success;
            }
            catch (ExportRefusedException ex)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"refused: agreement {id}: {ex.ReasonCode}. Nothing was exported (the refusal is in the audit log).").ConfigureAwait(false);
                return Refused;
            }
            catch (Exception ex) when (ex is ExportLedgerFormatException or Core.Audit.AuditStoreException or Core.Keys.KeyringException)
            {
                // Typed failures whose messages carry names, codes and keys only (never patient data).
                await parse.InvocationConfiguration.Error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
                return ExitCodes.Attention;
            }
        }, cancellationToken));
        return command;
    }

    /// <summary>Prints the run's summary table.</summary>
    internal static void WriteSummary(IAnsiConsole console, ExportManifest manifest)
    {
        var table = new Table().AddColumn("Agreement " + Markup.Escape(manifest.AgreementId)).AddColumn(new TableColumn("Studies").RightAligned());
        table.AddRow("Archive studies", Count(manifest.ArchiveStudies));
        table.AddRow("Exported (written this run)", Count(manifest.Run.StudiesWritten));
        table.AddRow("Skipped (unchanged)", Count(manifest.Run.StudiesUnchanged));
        table.AddRow("Withdrawn (copies removed)", Count(manifest.Run.StudiesRemoved));
        foreach (var (reason, count) in manifest.ExcludedByReason)
        {
            table.AddRow("Excluded: " + Markup.Escape(reason), Count(count));
        }

        console.Write(table);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Output: {manifest.Exported.Studies} studies, {manifest.Exported.Series} series, {manifest.Exported.Instances} instances, {manifest.Exported.Bytes} bytes. This run wrote {manifest.Run.InstancesWritten} instances ({manifest.Run.BytesWritten} bytes) and removed {manifest.Run.InstancesRemoved}."));
        console.WriteLine($"Profile {manifest.Profile}; options: {(manifest.Options.Count == 0 ? "none" : string.Join(",", manifest.Options))}; copies kept until {manifest.RetainUntil}.");
    }

    /// <summary>The run's summary for <c>--json</c>: the same counts as the table.</summary>
    internal static System.Text.Json.Nodes.JsonObject SummaryJson(ExportManifest manifest) => new()
    {
        ["agreement"] = manifest.AgreementId,
        ["archiveStudies"] = manifest.ArchiveStudies,
        ["studiesWritten"] = manifest.Run.StudiesWritten,
        ["studiesUnchanged"] = manifest.Run.StudiesUnchanged,
        ["studiesWithdrawn"] = manifest.Run.StudiesRemoved,
        ["excludedByReason"] = JsonOutput.Counts(manifest.ExcludedByReason),
        ["output"] = new System.Text.Json.Nodes.JsonObject { ["studies"] = manifest.Exported.Studies, ["series"] = manifest.Exported.Series, ["instances"] = manifest.Exported.Instances, ["bytes"] = manifest.Exported.Bytes },
        ["run"] = new System.Text.Json.Nodes.JsonObject { ["instancesWritten"] = manifest.Run.InstancesWritten, ["bytesWritten"] = manifest.Run.BytesWritten, ["instancesRemoved"] = manifest.Run.InstancesRemoved },
        ["profile"] = manifest.Profile,
        ["options"] = JsonOutput.Strings(manifest.Options),
        ["retainUntil"] = manifest.RetainUntil,
    };

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static async Task<ResearchExportResult> RunWithProgressAsync(IAnsiConsole console, string agreementId, Func<IProgress<ExportProgress>?, Task<ResearchExportResult>> run)
    {
        if (!console.Profile.Capabilities.Interactive)
        {
            return await run(null).ConfigureAwait(false);
        }

        ResearchExportResult? result = null;
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("Exporting " + Markup.Escape(agreementId), autoStart: true);
                task.IsIndeterminate = true;
                var progress = new Progress<ExportProgress>(p => task.Description = string.Create(CultureInfo.InvariantCulture,
                    $"{Markup.Escape(agreementId)}: {p.StudiesSeen} studies ({p.StudiesWritten} written, {p.StudiesUnchanged} unchanged, {p.StudiesExcluded} excluded), {p.InstancesWritten} instances"));
                result = await run(progress).ConfigureAwait(false);
                task.IsIndeterminate = false;
                task.Value = task.MaxValue;
            }).ConfigureAwait(false);
        return result!;
    }
}
