using System.CommandLine;
using System.Globalization;
using CloudArchive.Azure.Identity;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Core.Crypto;
using Spectre.Console;

namespace CloudArchive.Cli.Commands.Dev;

/// <summary>
/// <c>cloudarchive dev up [--demo] [--exit-after-demo]</c>: from a fresh clone, installs and starts Azurite,
/// creates the containers and queues, generates the (insecure, local) key-encryption key, builds and starts the
/// function app in its local host, optionally runs the demo, then keeps running until Ctrl+C, which stops
/// everything it started. One run per state directory (<see cref="DevUpLock"/>); nothing it started outlives it,
/// even when it is killed (Azurite's watchdog, the local host's <c>LocalHost__ParentProcessId</c>).
/// </summary>
public static class DevUpCommand
{
    /// <summary>The containers of docs/architecture.md §2.</summary>
    internal static readonly IReadOnlyList<string> ContainerRoles = Status.ArchiveStatusReader.ContainerRoles;

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var demo = new Option<bool>("--demo") { Description = "Upload the sample studies (plus a re-upload and broken files), wait for ingest and print a summary" };
        var exitAfterDemo = new Option<bool>("--exit-after-demo") { Description = "Stop everything after the demo instead of waiting for Ctrl+C (exit code 1 if not every upload was handled)" };
        var functionsDll = new Option<string?>("--functions-dll") { Description = "Use this CloudArchive.Functions.dll instead of building src/CloudArchive.Functions" };
        var demoTimeout = new Option<int>("--demo-timeout") { Description = "Seconds to wait for ingest in the demo", DefaultValueFactory = _ => 300 };
        var repo = new Option<string?>("--repo") { Description = "The CloudArchive checkout (default: found from the working directory)" };
        var stateDir = new Option<string?>("--state-dir") { Description = "Where Azurite data, the local key, logs and dev.env live (default: .cloudarchive in the checkout)" };
        var fastTimers = new Option<bool>("--fast-timers") { Description = "Run the lifecycle timers (sweeps, seals, reconciliation) every minute or two instead of on their production schedules; on with --demo" };
        var command = new Command("up", "Start the local archive: Azurite (ports 10000/10001 when free, data in .cloudarchive/azurite) and the function app in its local host. Ctrl+C stops both; one run per state directory.")
        {
            demo, exitAfterDemo, functionsDll, demoTimeout, repo, stateDir, fastTimers,
        };
        command.SetAction((parse, cancellationToken) => OperationsRunner.RunAsync(parse.InvocationConfiguration.Error, () =>
            RunAsync(OperationsRunner.Console(parse.InvocationConfiguration.Output), DevPaths.Find(parse.GetValue(repo), parse.GetValue(stateDir)), parse.GetValue(demo), parse.GetValue(exitAfterDemo), parse.GetValue(functionsDll),
                TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(demoTimeout))), parse.GetValue(fastTimers) || parse.GetValue(demo), cancellationToken), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(IAnsiConsole console, DevPaths paths, bool demo, bool exitAfterDemo, string? functionsDll, TimeSpan demoTimeout, bool fastTimers, CancellationToken cancellationToken)
    {
        if (exitAfterDemo && !demo)
        {
            throw new UsageException("--exit-after-demo needs --demo.");
        }

        // Before anything touches the state directory: a second Azurite on the same data folder, or a rewritten dev.env,
        // corrupts the running archive.
        using var stateLock = DevUpLock.Acquire(paths.State);
        await AzuriteLauncher.EnsureInstalledAsync(paths, m => console.MarkupLine(Markup.Escape(m)), cancellationToken).ConfigureAwait(false);

        console.MarkupLine("Starting Azurite...");
        using var azurite = await AzuriteLauncher.StartAsync(paths, cancellationToken).ConfigureAwait(false);
        var connection = Azure.Storage.StorageConnection.FromConnectionString(azurite.ConnectionString);
        var values = DevSettings.Create(paths, azurite.ConnectionString);
        var settings = ArchiveSettings.FromValues(values.ToDictionary(kv => kv.Key.Replace("__", ":", StringComparison.Ordinal), kv => kv.Value), paths.DevEnvFile);
        foreach (var role in ContainerRoles)
        {
            await CloudArchive.Azure.Storage.StorageCall.RunAsync("CreateContainer", () => connection.Blobs.GetBlobContainerClient(settings.Container(role)).CreateIfNotExistsAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        foreach (var queue in Status.ArchiveStatusReader.QueueNames)
        {
            await CloudArchive.Azure.Storage.StorageCall.RunAsync("CreateQueue", () => connection.Queues.GetQueueClient(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        using (var keys = new LocalKeyEncryptionKeyProvider(new LocalKeyEncryptionKeyOptions { KeyPath = paths.Keys }))
        {
            var key = await keys.GetCurrentLocalKeyAsync(cancellationToken).ConfigureAwait(false);
            console.MarkupLine($"[yellow]WARN[/] {Markup.Escape(LocalKeyEncryptionKeyProvider.InsecureWarning)} Key version {key.Version} in {Markup.Escape(paths.Keys)}.");
        }

        using (var issuer = DevelopmentTokenIssuer.LoadOrCreate(paths.DevIssuer))
        {
            console.MarkupLine($"[yellow]WARN[/] {Markup.Escape(DevelopmentTokenIssuer.InsecureWarning)} Key {issuer.KeyId} in {Markup.Escape(paths.DevIssuer)}.");
        }

        await DevSettings.WriteEnvFileAsync(paths.DevEnvFile, values, cancellationToken).ConfigureAwait(false);
        string dll;
        if (functionsDll is not null)
        {
            dll = Path.GetFullPath(functionsDll);
        }
        else
        {
            console.MarkupLine("Building the function app (src/CloudArchive.Functions)...");
            dll = await FunctionHostLauncher.BuildAsync(paths, cancellationToken).ConfigureAwait(false);
        }

        console.MarkupLine("Starting the function app (local host)...");
        // The fast schedules go to the app only, not into dev.env: other commands run against the same settings.
        var appSettings = fastTimers ? values.Concat(FastTimerSchedules.Environment()).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal) : values;
        using var functions = await FunctionHostLauncher.StartAsync(dll, appSettings, paths, cancellationToken).ConfigureAwait(false);

        // The researcher API is served by the same app; `cloudarchive research ...` in this checkout finds it here.
        values["CloudArchive__ResearchApi__Url"] = functions.BaseUri.AbsoluteUri;
        await DevSettings.WriteEnvFileAsync(paths.DevEnvFile, values, cancellationToken).ConfigureAwait(false);
        RenderRunning(console, paths, azurite, functions);

        var exitCode = ExitCodes.Success;
        if (demo)
        {
            var prefix = "demo/" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "/";
            var summary = await new DemoRunner(paths, connection, settings).RunAsync(console, prefix, demoTimeout, cancellationToken).ConfigureAwait(false);
            DemoRunner.Render(console, summary, prefix);

            // The timers run on fast schedules in the demo: show the first retention sweep after the ingest, and the seals.
            var lifecycle = new DemoLifecycleWatcher(connection, settings);
            console.MarkupLine("Waiting for the next retention sweep (every minute in the demo)...");
            var sweep = await lifecycle.WaitForSweepAsync(DateTimeOffset.UtcNow, TimeSpan.FromSeconds(120), cancellationToken).ConfigureAwait(false);
            lifecycle.Render(console, sweep, await lifecycle.SealsAsync(cancellationToken).ConfigureAwait(false));
            RenderWhereToLook(console, paths);
            // The demo's output pushes the URLs off the screen; they are what a person needs next.
            RenderRunning(console, paths, azurite, functions);
            if (summary.TimedOut || summary.PoisonMessages > 0)
            {
                exitCode = ExitCodes.Attention;
            }
        }

        if (exitAfterDemo)
        {
            console.MarkupLine("Stopping (--exit-after-demo).");
            return exitCode;
        }

        console.MarkupLine("Running. Press [bold]Ctrl+C[/] to stop Azurite and the function app.");
        try
        {
            while (!functions.HasExited)
            {
                await Task.Delay(1000, cancellationToken).ConfigureAwait(false);
            }

            console.MarkupLine("[red]The function app exited[/]; stopping. Last output:");
            console.WriteLine(functions.RecentOutput);
            return ExitCodes.Attention;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.MarkupLine("Stopping Azurite and the function app.");
            return exitCode;
        }
    }

    private static void RenderRunning(IAnsiConsole console, DevPaths paths, AzuriteLauncher azurite, FunctionHostLauncher functions)
    {
        var table = new Table().Title("Local archive").AddColumns("what", "where");
        table.AddRow("Azurite blob", $"http://127.0.0.1:{azurite.BlobPort}/devstoreaccount1 (pid {azurite.ProcessId})");
        table.AddRow("Azurite queue", $"http://127.0.0.1:{azurite.QueuePort}/devstoreaccount1");
        table.AddRow("Azurite data", Markup.Escape(paths.AzuriteData));
        table.AddRow("Function app", $"{functions.BaseUri} (pid {functions.ProcessId}, local host)");
        table.AddRow("Researcher API", $"{functions.BaseUri}api/research/agreements");
        table.AddRow("Local key (INSECURE)", Markup.Escape(paths.Keys));
        table.AddRow("Logs", Markup.Escape(paths.Logs));
        table.AddRow("Settings for other commands", Markup.Escape(paths.DevEnvFile));
        table.AddRow("cloudarchive CLI", Markup.Escape(File.Exists(Path.Combine(paths.CliBin, "cloudarchive"))
            ? $"{paths.CliBin} — export PATH=\"{paths.CliBin}:$PATH\""
            : $"not installed — tools/install-cli.sh puts it in {paths.CliBin}"));
        console.Write(table);
    }

    private static void RenderWhereToLook(IAnsiConsole console, DevPaths paths)
    {
        console.MarkupLine("Where to look:");
        console.MarkupLine("  containers: [blue]archive[/] (studies/{studyKey}/{instanceKey}.dcm.enc), [blue]quarantine[/] (q/{id}.dcm.enc encrypted + .reason.json; cloudarchive quarantine list), [blue]audit[/] (log/yyyy/MM/dd/HH/{writer}.jsonl)");
        console.MarkupLine("  [bold]cloudarchive status[/]          counts, queue depths, recent quarantine reasons");
        console.MarkupLine("  [bold]cloudarchive audit query --event 110107[/]   the import audit lines");
        console.MarkupLine("  [bold]cloudarchive audit verify[/]    check the audit hash chains");
        console.MarkupLine("  [bold]cloudarchive doctor[/]          configuration and connectivity checks");
        console.MarkupLine($"  logs: {Markup.Escape(paths.Logs)}");
    }
}
