using System.CommandLine;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Dicom;
using Spectre.Console;

namespace CloudArchive.Cli.Commands.Research;

/// <summary>
/// <c>research agreements|studies|fetch</c>: what a researcher does, through the researcher API (never storage
/// directly). Exit codes (<see cref="ExitCodes"/>): 0 ok, 1 verification failed, 2 usage, 3 API unreachable or transfer
/// interrupted (rerun to resume), 4 refused by the API.
/// </summary>
public static class ResearchCommands
{
    /// <summary>Creates the <c>research</c> command group.</summary>
    public static Command Create()
    {
        var research = new Command("research", "Fetch de-identified research copies through the researcher API (as a researcher)");
        research.Add(CreateAgreements());
        research.Add(CreateStudies());
        research.Add(CreateFetch());
        return research;
    }

    private static Command CreateAgreements()
    {
        var connection = new ResearchConnection();
        var json = JsonOutput.Option("Print the agreements as JSON");
        var command = new Command("agreements", "List the agreements you are a recipient of that are in force") { json };
        connection.AddTo(command, withAgreement: false);
        command.SetAction((parse, cancellationToken) => ResearchConnection.RunAsync(parse, async () =>
        {
            using var http = CreateHttp();
            using var client = connection.CreateClient(parse, http, parse.InvocationConfiguration.Error);
            var agreements = await client.ListAgreementsAsync(cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(parse.InvocationConfiguration.Output, JsonOutput.Array(agreements.Select(a => (System.Text.Json.Nodes.JsonNode?)new System.Text.Json.Nodes.JsonObject
                {
                    ["id"] = a.Id,
                    ["title"] = a.Title,
                    ["purposeOfUse"] = a.PurposeOfUse,
                    ["validFrom"] = a.ValidFrom,
                    ["validUntil"] = a.ValidUntil,
                }))).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var console = OperationsRunner.Console(parse.InvocationConfiguration.Output);
            var table = new Table().AddColumns("Agreement", "Title", "Purpose", "Valid from", "Valid until");
            foreach (var a in agreements)
            {
                table.AddRow(Markup.Escape(a.Id), Markup.Escape(a.Title ?? string.Empty), Markup.Escape(a.PurposeOfUse), a.ValidFrom.ToString("u", System.Globalization.CultureInfo.InvariantCulture), a.ValidUntil.ToString("u", System.Globalization.CultureInfo.InvariantCulture));
            }

            console.Write(table);
            console.MarkupLine($"{agreements.Count} agreement(s).");
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command CreateStudies()
    {
        var connection = new ResearchConnection();
        var json = JsonOutput.Option("Print the studies as JSON");
        var command = new Command("studies", "List the de-identified studies published under an agreement") { json };
        connection.AddTo(command, withAgreement: true);
        command.SetAction((parse, cancellationToken) => ResearchConnection.RunAsync(parse, async () =>
        {
            var agreementId = connection.AgreementId(parse);
            using var http = CreateHttp();
            using var client = connection.CreateClient(parse, http, parse.InvocationConfiguration.Error);
            var studies = await client.ListStudiesAsync(agreementId, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(parse.InvocationConfiguration.Output, JsonOutput.Array(studies.Select(s => (System.Text.Json.Nodes.JsonNode?)new System.Text.Json.Nodes.JsonObject
                {
                    ["studyInstanceUid"] = s.StudyInstanceUid,
                    ["series"] = s.SeriesCount,
                    ["instances"] = s.InstanceCount,
                    ["bytes"] = s.Bytes,
                }))).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var console = OperationsRunner.Console(parse.InvocationConfiguration.Output);
            var table = new Table().AddColumns("Study Instance UID (de-identified)", "Series", "Instances", "Bytes");
            foreach (var s in studies)
            {
                table.AddRow(s.StudyInstanceUid, s.SeriesCount.ToString(System.Globalization.CultureInfo.InvariantCulture), s.InstanceCount.ToString(System.Globalization.CultureInfo.InvariantCulture), s.Bytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
            }

            console.Write(table);
            console.MarkupLine($"{studies.Count} study(ies), {studies.Sum(s => s.InstanceCount)} instance(s), {studies.Sum(s => s.Bytes):N0} bytes.");
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command CreateFetch()
    {
        var connection = new ResearchConnection();
        var output = new Option<string>("--out") { Description = "Output directory: files go to {out}/{study}/{series}/{instance}.dcm", Required = true };
        var studies = new Option<string[]>("--study") { Description = "Fetch only this de-identified Study Instance UID (repeatable; default: all)" };
        var command = new Command("fetch", "Download an agreement's studies (resumable; verifies size and DICM preamble of every file)") { output, studies };
        connection.AddTo(command, withAgreement: true);
        command.SetAction((parse, cancellationToken) => ResearchConnection.RunAsync(parse, async () =>
        {
            var agreementId = connection.AgreementId(parse);
            var only = parse.GetValue(studies) ?? [];
            if (only.Any(s => !DicomUid.IsValid(s)))
            {
                throw new UsageException("--study must be a UID (digits and dots).");
            }

            var outDirectory = parse.GetValue(output)!;
            if (File.Exists(outDirectory))
            {
                throw new UsageException("--out names a file; give a directory.");
            }

            using var http = CreateHttp();
            using var client = connection.CreateClient(parse, http, parse.InvocationConfiguration.Error);
            var console = OperationsRunner.Console(parse.InvocationConfiguration.Output);
            Directory.CreateDirectory(outDirectory);
            var fetcher = new ResearchFetcher(client, agreementId, outDirectory);
            var plans = await fetcher.PlanAsync(only.Distinct(StringComparer.Ordinal).ToList(), cancellationToken).ConfigureAwait(false);
            var total = plans.Sum(p => p.TransferBytes);
            var missing = plans.Sum(p => p.Missing.Count);
            ResearchFetchSummary summary = null!;
            await RunWithProgressAsync(console, $"Fetching {missing} file(s) of {plans.Count} study(ies)", total, client, async report =>
                summary = await fetcher.FetchAsync(plans, report, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);

            console.MarkupLine($"Fetched [green]{summary.Downloaded}[/] file(s), {summary.DownloadedBytes:N0} bytes; {summary.AlreadyComplete} already complete; {summary.Studies} study(ies) into [blue]{Markup.Escape(Path.GetFullPath(outDirectory))}[/].");
            if (summary.Failures.Count > 0)
            {
                foreach (var failure in summary.Failures)
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync("error: " + failure).ConfigureAwait(false);
                }

                await parse.InvocationConfiguration.Error.WriteLineAsync($"error: {summary.Failures.Count} file(s) failed verification; run the command again to retry them.").ConfigureAwait(false);
                return ExitCodes.Attention;
            }

            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static HttpClient CreateHttp() =>
        new(new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.None, PooledConnectionLifetime = TimeSpan.FromMinutes(5), ConnectTimeout = TimeSpan.FromSeconds(30) })
        {
            // Large studies stream for a long time; cancellation (Ctrl+C) stops them, not a fixed timeout.
            Timeout = Timeout.InfiniteTimeSpan,
        };

    private static Task RunWithProgressAsync(IAnsiConsole console, string label, long total, ResearchApiClient client, Func<Action<long>, Task> work) =>
        TransferProgress.RunAsync(console, Markup.Escape(label), total, work, task =>
        {
            client.RateLimited = wait => task.Description = Markup.Escape($"{label} (rate limited, waiting {wait.TotalSeconds:0}s)");
            return bytes =>
            {
                task.Description = Markup.Escape(label);
                task.Increment(bytes);
            };
        });
}
