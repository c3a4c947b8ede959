using System.CommandLine;
using CloudArchive.Cli.Commands.Common;
using Spectre.Console;

namespace CloudArchive.Cli.Commands.Upload;

/// <summary><c>cloudarchive upload PATH... [--container incoming] [--prefix P]</c>: what a DICOM gateway does.</summary>
public static class UploadCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var paths = new Argument<string[]>("PATH") { Description = "Files and/or directories (directories: *.dcm and extension-less files, recursively; DICOMDIR skipped)", Arity = ArgumentArity.OneOrMore };
        var container = new Option<string?>("--container") { Description = "Target container (default: CloudArchive__Containers__Incoming or 'incoming')" };
        var prefix = new Option<string?>("--prefix") { Description = "Blob name prefix, e.g. 'gateway-1/' (names must not contain patient data)" };
        var parallel = new Option<int>("--parallel") { Description = "Files uploaded at the same time", DefaultValueFactory = _ => 4 };
        var connection = OperationsRunner.ConnectionStringOption();
        var settingsFile = OperationsRunner.SettingsFileOption();
        var command = new Command("upload", "Upload DICOM files to the incoming container, as a modality or gateway would. Exit codes: 0 ok, 2 usage/configuration, 3 storage error.")
        {
            paths, container, prefix, parallel, connection, settingsFile,
        };
        command.SetAction((parse, cancellationToken) => OperationsRunner.RunAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var settings = ArchiveSettings.Load(parse.GetValue(connection), parse.GetValue(settingsFile));
            var target = parse.GetValue(container) ?? settings.Container("Incoming");
            var degree = parse.GetValue(parallel);
            if (degree is < 1 or > 64)
            {
                throw new UsageException("--parallel must be between 1 and 64.");
            }

            var files = UploadPlanner.Plan(parse.GetValue(paths)!, parse.GetValue(prefix) ?? string.Empty);
            var console = OperationsRunner.Console(parse.InvocationConfiguration.Output);
            if (files.Count == 0)
            {
                console.MarkupLine("[yellow]Nothing to upload[/] (directories are searched for *.dcm and extension-less files).");
                return OperationsRunner.Success;
            }

            var storage = settings.Connect();
            var total = files.Sum(f => f.Length);
            await RunWithProgressAsync(console, "Uploading", total, files, async report =>
                await GatewayUploader.UploadAsync(storage, target, files, degree, f => report(f.Length), cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            console.MarkupLine($"Uploaded [green]{files.Count}[/] file(s), {total:N0} bytes, to container [blue]{Markup.Escape(target)}[/].");
            return OperationsRunner.Success;
        }, cancellationToken));
        return command;
    }

    /// <summary>Shows a byte progress bar on a terminal; runs silently otherwise.</summary>
    internal static async Task RunWithProgressAsync(IAnsiConsole console, string label, long total, IReadOnlyList<UploadFile> files, Func<Action<long>, Task> work)
    {
        if (!console.Profile.Capabilities.Interactive)
        {
            await work(_ => { }).ConfigureAwait(false);
            return;
        }

        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"{label} {files.Count} file(s)", maxValue: Math.Max(1, total));
                await work(bytes => task.Increment(bytes)).ConfigureAwait(false);
                task.Value = task.MaxValue;
            }).ConfigureAwait(false);
    }
}
