using System.CommandLine;
using CloudArchive.Cli.Commands.Common;
using Spectre.Console;

namespace CloudArchive.Cli.Commands.Upload;

/// <summary>
/// <c>cloudarchive upload PATH... [--container incoming] [--prefix P] [--wait [--timeout S]] [--json] [--force]</c>:
/// what a DICOM gateway does, and optionally following each file to what the archive did with it. With
/// <c>--dicomweb URL</c> the files go by STOW-RS instead, with a bearer token and no storage credentials
/// (<see cref="DicomWebUploader"/>), and the archive's answer is each file's outcome.
/// </summary>
public static class UploadCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var paths = new Argument<string[]>("PATH") { Description = "Files and/or directories (directories: *.dcm and extension-less files, recursively; DICOMDIR skipped)", Arity = ArgumentArity.OneOrMore };
        var container = new Option<string?>("--container") { Description = "Target container (default: CloudArchive__Containers__Incoming or 'incoming')" };
        var prefix = new Option<string?>("--prefix") { Description = "Blob name prefix, e.g. 'gateway-1/' (names must not contain patient data)" };
        var parallel = new Option<int>("--parallel") { Description = "Files uploaded at the same time", DefaultValueFactory = _ => 4 };
        var wait = new Option<bool>("--wait") { Description = "Follow each file to its outcome (archived, duplicate, quarantined with the reason) through the audit log" };
        var timeout = new Option<int>("--timeout") { Description = "With --wait: seconds to wait for every outcome", DefaultValueFactory = _ => 300 };
        var json = JsonOutput.Option("Print the per-file result as JSON");
        var force = new Option<bool>("--force") { Description = "Also send files that are obviously not DICOM (empty, no DICOM header)" };
        var connection = OperationsRunner.ConnectionStringOption();
        var settingsFile = OperationsRunner.SettingsFileOption();
        var dicomWeb = new Option<string?>("--dicomweb") { Description = "Send by STOW-RS to this DICOMweb service root instead (e.g. https://<app>.azurewebsites.net/api/dicomweb); needs a token, no storage credentials" };
        var token = new Option<string?>("--token") { Description = $"With --dicomweb: an access token for the archive's API (default: the environment variable {DicomWebCredentials.TokenVariable}; prefer it, a command line is visible to other users)" };
        var scope = new Option<string?>("--scope") { Description = "With --dicomweb: get an Entra ID token for this scope from DefaultAzureCredential, e.g. api://<app-id>/.default" };
        var devPrincipal = new Option<string?>("--dev-principal") { Description = "With --dicomweb, LOCAL DEVELOPMENT ONLY: act as this object id (GUID) with the Archive.Upload role, with a token from the development issuer (loopback URL only)" };
        var batchSize = new Option<int>("--batch-size") { Description = "With --dicomweb: instances per STOW-RS request", DefaultValueFactory = _ => 50 };
        var command = new Command("upload", "Upload DICOM files to the incoming container, as a modality or gateway would, or with --dicomweb by STOW-RS. Exit codes: 0 every file stored (with --wait or --dicomweb: archived or duplicate), 1 a file skipped, quarantined, refused or without an outcome in time, 2 usage/configuration, 3 storage or service unavailable, 4 the service refused the caller (401/403).")
        {
            paths, container, prefix, parallel, wait, timeout, json, force, connection, settingsFile, dicomWeb, token, scope, devPrincipal, batchSize,
        };
        command.SetAction((parse, cancellationToken) => OperationsRunner.RunAsync(parse.InvocationConfiguration.Error, async () =>
        {
            if (parse.GetValue(dicomWeb) is { } serviceRoot)
            {
                return await UploadByStowAsync(parse, serviceRoot, new StowArguments(paths, prefix, json, force, token, scope, devPrincipal, batchSize, settingsFile), cancellationToken).ConfigureAwait(false);
            }

            var settings = ArchiveSettings.Load(parse.GetValue(connection), parse.GetValue(settingsFile));
            var target = parse.GetValue(container) ?? settings.Container("Incoming");
            var degree = parse.GetValue(parallel);
            if (degree is < 1 or > 64)
            {
                throw new UsageException("--parallel must be between 1 and 64.");
            }

            var waitSeconds = parse.GetValue(timeout);
            if (waitSeconds is < 1 or > 86_400)
            {
                throw new UsageException("--timeout must be between 1 and 86400 seconds.");
            }

            var asJson = parse.GetValue(json);
            var output = parse.InvocationConfiguration.Output;
            var console = OperationsRunner.Console(asJson ? parse.InvocationConfiguration.Error : output);
            var planned = UploadPlanner.Plan(parse.GetValue(paths)!, parse.GetValue(prefix) ?? string.Empty);
            var (files, skipped) = await UploadPlanner.ScreenAsync(planned, parse.GetValue(force), cancellationToken).ConfigureAwait(false);
            if (planned.Count == 0)
            {
                console.MarkupLine("[yellow]Nothing to upload[/] (directories are searched for *.dcm and extension-less files).");
                return ExitCodes.Success;
            }

            var started = DateTimeOffset.UtcNow;
            var total = files.Sum(f => f.Length);
            var storage = files.Count > 0 ? settings.Connect() : null;
            if (storage is not null)
            {
                await RunWithProgressAsync(console, "Uploading", total, files, async report =>
                    await GatewayUploader.UploadAsync(storage, target, files, degree, f => report(f.Length), cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            }

            if (!parse.GetValue(wait) || storage is null)
            {
                if (asJson)
                {
                    await UploadReport.WriteJsonAsync(output, target, skipped, files).ConfigureAwait(false);
                }
                else
                {
                    UploadReport.RenderStored(console, target, files, skipped);
                }

                console.MarkupLine($"Uploaded [green]{files.Count}[/] file(s), {total:N0} bytes, to container [blue]{Markup.Escape(target)}[/]" + (skipped.Count > 0 ? $"; skipped [yellow]{skipped.Count}[/]." : "."));
                return skipped.Count > 0 ? ExitCodes.Attention : ExitCodes.Success;
            }

            var tracker = new UploadOutcomeTracker(
                storage.Blobs.GetBlobContainerClient(settings.Container("Audit")),
                storage.Blobs.GetBlobContainerClient(settings.Container("Quarantine")));
            console.MarkupLine($"Uploaded [green]{files.Count}[/] file(s) to [blue]{Markup.Escape(target)}[/]; waiting up to {waitSeconds} s for the archive's outcome...");
            var outcomes = await WaitWithProgressAsync(console, tracker, files, started, TimeSpan.FromSeconds(waitSeconds), cancellationToken).ConfigureAwait(false);
            var all = outcomes.Concat(skipped).ToList();
            if (asJson)
            {
                await UploadReport.WriteJsonAsync(output, target, all, []).ConfigureAwait(false);
            }
            else
            {
                UploadReport.RenderOutcomes(console, all);
            }

            return all.Any(o => o.NeedsAttention) ? ExitCodes.Attention : ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static async Task<int> UploadByStowAsync(ParseResult parse, string serviceRoot, StowArguments options, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(serviceRoot, UriKind.Absolute, out var root) || (root.Scheme != Uri.UriSchemeHttps && root.Scheme != Uri.UriSchemeHttp) || !string.IsNullOrEmpty(root.Query) || !string.IsNullOrEmpty(root.UserInfo))
        {
            throw new UsageException("--dicomweb must be an http(s) URL without query or credentials, e.g. https://<app>.azurewebsites.net/api/dicomweb.");
        }

        var batch = parse.GetValue(options.BatchSize);
        if (batch is < 1 or > 10_000)
        {
            throw new UsageException("--batch-size must be between 1 and 10000.");
        }

        var error = parse.InvocationConfiguration.Error;
        using var credentials = DicomWebCredentials.Create(root, parse.GetValue(options.Token), parse.GetValue(options.Scope), parse.GetValue(options.DevPrincipal), parse.GetValue(options.SettingsFile), error);
        var asJson = parse.GetValue(options.Json);
        var output = parse.InvocationConfiguration.Output;
        var console = OperationsRunner.Console(asJson ? error : output);
        var planned = UploadPlanner.Plan(parse.GetValue(options.Paths)!, parse.GetValue(options.Prefix) ?? string.Empty);
        var (files, skipped) = await UploadPlanner.ScreenAsync(planned, parse.GetValue(options.Force), cancellationToken).ConfigureAwait(false);
        IReadOnlyList<UploadOutcome> outcomes = [];
        try
        {
            using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            await RunWithProgressAsync(console, "Sending", files.Sum(f => f.Length), files, async report =>
                outcomes = await DicomWebUploader.UploadAsync(http, root, credentials, files, batch, report, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        }
        catch (DicomWebUploadException ex)
        {
            await error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return ex.IsRefusal ? ExitCodes.Refused : ExitCodes.Unavailable;
        }

        var all = outcomes.Concat(skipped).ToList();
        if (asJson)
        {
            await UploadReport.WriteJsonAsync(output, null, all, []).ConfigureAwait(false);
        }
        else
        {
            UploadReport.RenderOutcomes(console, all);
        }

        return all.Any(o => o.NeedsAttention) ? ExitCodes.Attention : ExitCodes.Success;
    }

    private static async Task<IReadOnlyList<UploadOutcome>> WaitWithProgressAsync(IAnsiConsole console, UploadOutcomeTracker tracker, IReadOnlyList<UploadFile> files, DateTimeOffset started, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!console.Profile.Capabilities.Interactive)
        {
            return await tracker.WaitAsync(files, started, timeout, null, cancellationToken).ConfigureAwait(false);
        }

        IReadOnlyList<UploadOutcome> outcomes = [];
        await console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"Ingesting {files.Count} file(s)", maxValue: files.Count);
                outcomes = await tracker.WaitAsync(files, started, timeout, settled => task.Value = settled, cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
        return outcomes;
    }

    /// <summary>Shows a byte progress bar on a terminal; runs silently otherwise.</summary>
    internal static Task RunWithProgressAsync(IAnsiConsole console, string label, long total, IReadOnlyList<UploadFile> files, Func<Action<long>, Task> work) =>
        TransferProgress.RunAsync(console, $"{label} {files.Count} file(s)", total, work);

    /// <summary>The options <c>upload --dicomweb</c> reads.</summary>
    private sealed record StowArguments(Argument<string[]> Paths, Option<string?> Prefix, Option<bool> Json, Option<bool> Force, Option<string?> Token, Option<string?> Scope, Option<string?> DevPrincipal, Option<int> BatchSize, Option<string?> SettingsFile);
}
