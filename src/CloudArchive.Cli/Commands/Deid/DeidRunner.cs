using CloudArchive.Cli.Commands.Common;
using CloudArchive.Deidentification;
using Spectre.Console;

namespace CloudArchive.Cli.Commands.Deid;

/// <summary>Runs a <see cref="DeidRequest"/>: loads the profile and secret, processes every input (a progress bar for
/// directories), writes reports and prints a summary. Inputs that are refused or fail are listed, never skipped
/// silently.</summary>
public static class DeidRunner
{
    /// <summary>Runs the request and returns the process exit code.</summary>
    public static async Task<int> RunAsync(DeidRequest request, IAnsiConsole console, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(error);
        DeidSettings settings;
        ProjectSecret secret;
        try
        {
            var extra = DeidProfileLoader.ParseOptionList(request.Options);
            settings = request.Profile is null
                ? DeidSettings.Create("basic", extra)
                : await DeidProfileLoader.LoadAsync(request.Profile, extra, cancellationToken).ConfigureAwait(false);
            secret = await ProjectSecret.ReadFileAsync(request.SecretFile, cancellationToken).ConfigureAwait(false);
        }
        catch (DeidConfigurationException e)
        {
            await error.WriteLineAsync($"deid: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var inputRoot = Path.GetFullPath(request.Input);
        var outputRoot = Path.GetFullPath(request.Output);
        var isDirectory = Directory.Exists(inputRoot);
        if (!isDirectory && !File.Exists(inputRoot))
        {
            await error.WriteLineAsync("deid: --in does not exist").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        List<string> inputs;
        try
        {
            Directory.CreateDirectory(outputRoot);
            if (request.Report is not null)
            {
                Directory.CreateDirectory(request.Report);
            }

            inputs = isDirectory ? Enumerate(inputRoot, outputRoot, request.Report) : [inputRoot];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"deid: cannot prepare directories: {e.GetType().Name}").ConfigureAwait(false);
            return ExitCodes.Unavailable;
        }

        var processor = new DeidFileProcessor(new Deidentifier(settings, secret));
        var summary = new DeidRunSummary
        {
            Profile = settings.Name,
            Options = DeidOptionInfo.All.Where(settings.Options.Contains).Select(DeidOptionInfo.Key).ToList(),
            Inputs = inputs.Count,
        };
        var gate = new object();
        try
        {
            async Task ProcessOne(string path, CancellationToken ct)
            {
                InstanceReport r;
                try
                {
                    (r, _) = await processor.ProcessAsync(path, outputRoot, request.Report, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    r = new InstanceReport { Outcome = InstanceOutcome.Failed, Failure = DeidFailure.UnreadableInput, Reason = "I/O error: " + e.GetType().Name };
                }

                lock (gate)
                {
                    switch (r.Outcome)
                    {
                        case InstanceOutcome.Deidentified:
                            summary.Deidentified++;
                            break;
                        case InstanceOutcome.Refused:
                            summary.Refused++;
                            summary.Problems.Add(new DeidRunProblem(Relative(inputRoot, path, isDirectory), r.Outcome, r.Failure, r.Reason));
                            break;
                        default:
                            summary.Failed++;
                            summary.Problems.Add(new DeidRunProblem(Relative(inputRoot, path, isDirectory), r.Outcome, r.Failure, r.Reason));
                            break;
                    }
                }
            }

            var parallel = new ParallelOptions { MaxDegreeOfParallelism = request.Jobs, CancellationToken = cancellationToken };
            if (isDirectory)
            {
                await console.Progress()
                    .AutoClear(false)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                    .StartAsync(async ctx =>
                    {
                        var task = ctx.AddTask("de-identifying", maxValue: Math.Max(1, inputs.Count));
                        await Parallel.ForEachAsync(inputs, parallel, async (path, ct) =>
                        {
                            await ProcessOne(path, ct).ConfigureAwait(false);
                            task.Increment(1);
                        }).ConfigureAwait(false);
                    }).ConfigureAwait(false);
            }
            else
            {
                await ProcessOne(inputs[0], cancellationToken).ConfigureAwait(false);
            }

            if (request.Report is not null)
            {
                summary.Problems.Sort((a, b) => string.CompareOrdinal(a.Input, b.Input));
                await summary.WriteAsync(Path.Combine(request.Report, "summary.json"), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("deid: cancelled").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"deid: I/O error: {e.GetType().Name}").ConfigureAwait(false);
            return ExitCodes.Unavailable;
        }

        console.WriteLine($"de-identified {summary.Deidentified}, refused {summary.Refused}, failed {summary.Failed} of {summary.Inputs} input(s); profile {settings.Name}");
        foreach (var p in summary.Problems.OrderBy(p => p.Input, StringComparer.Ordinal))
        {
            console.WriteLine($"  {p.Outcome.ToString().ToLowerInvariant()}: {p.Input}: {p.Reason}");
        }

        return summary.Refused + summary.Failed == 0 ? ExitCodes.Success : ExitCodes.Attention;
    }

    private static List<string> Enumerate(string inputRoot, string outputRoot, string? reportRoot)
    {
        var report = reportRoot is null ? null : Path.GetFullPath(reportRoot);
        return Directory.EnumerateFiles(inputRoot, "*", SearchOption.AllDirectories)
            .Where(f => !IsUnder(f, outputRoot) && (report is null || !IsUnder(f, report)))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static bool IsUnder(string path, string root) =>
        path.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static string Relative(string root, string path, bool isDirectory) =>
        isDirectory ? Path.GetRelativePath(root, path) : Path.GetFileName(path);
}
