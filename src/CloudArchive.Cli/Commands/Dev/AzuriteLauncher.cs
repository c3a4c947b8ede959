using System.Diagnostics;
using System.Globalization;
using CloudArchive.Azure.Storage;

namespace CloudArchive.Cli.Commands.Dev;

/// <summary>
/// Installs (<c>npm ci</c>, the version pinned in package-lock.json) and starts Azurite for <c>dev up</c>:
/// blob, queue and table on loopback, the standard ports 10000/10001/10002 when free, data kept under
/// <c>.cloudarchive/azurite</c> so the archive survives restarts. Azurite is always stopped through its own
/// shutdown (see <see cref="WatchdogScript"/>), also when the CLI dies without cleaning up.
/// </summary>
internal sealed class AzuriteLauncher : IDisposable
{
    /// <summary>
    /// Loaded with <c>node --require</c> before Azurite. Azurite keeps blob and queue metadata in LokiJS databases that it
    /// saves every 5 s and on shutdown, so killing it loses the last seconds of writes: blobs archived just before
    /// (an instance, its audit lines, the deletion from incoming) are gone after a restart. So it is never killed while
    /// this works: it runs Azurite's own SIGTERM shutdown (servers closed, databases saved) when the CLI closes its
    /// stdin, which is how the CLI asks it to stop and what the operating system does for the CLI when it dies, even by
    /// SIGKILL; and, as a backstop, when the CLI's pid is gone (polled every second). <c>process.emit</c> rather than a
    /// real signal because Windows has none. Before Azurite has registered its handler there is nothing to save yet.
    /// Its stdout and stderr are pipes to the CLI: once the CLI is dead, the shutdown's own log lines fail with EPIPE,
    /// and an unhandled stream error would crash node before the databases are saved, so those errors are ignored.
    /// </summary>
    private const string WatchdogScript = """
        'use strict';
        const parent = Number(process.env.CLOUDARCHIVE_PARENT_PID);
        if (parent > 0) {
          process.stdout.on('error', () => {});
          process.stderr.on('error', () => {});
          let stopping = false;
          const stop = () => {
            if (stopping) { return; }
            stopping = true;
            process.stdin.destroy();
            if (process.listenerCount('SIGTERM') === 0) { process.exit(0); }
            process.emit('SIGTERM', 'SIGTERM');
            setTimeout(() => process.exit(0), 10000).unref();
          };
          process.stdin.on('end', stop);
          process.stdin.on('error', stop);
          process.stdin.resume();
          setInterval(() => {
            try { process.kill(parent, 0); } catch (e) { if (e.code === 'ESRCH') { stop(); } }
          }, 1000).unref();
        }
        """;

    /// <summary>How long <see cref="Dispose"/> waits for Azurite's own shutdown before killing it.</summary>
    private static readonly TimeSpan StopGracePeriod = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly ChildProcess _process;

    private AzuriteLauncher(ChildProcess process, int blobPort, int queuePort)
    {
        _process = process;
        BlobPort = blobPort;
        QueuePort = queuePort;
    }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int ProcessId => _process.Id;

    /// <summary>The SharedKey connection string of the development account on these ports.</summary>
    public string ConnectionString => string.Create(CultureInfo.InvariantCulture,
        $"DefaultEndpointsProtocol=http;AccountName={StorageApi.DevelopmentAccountName};AccountKey={StorageApi.DevelopmentAccountKey};BlobEndpoint=http://127.0.0.1:{BlobPort}/{StorageApi.DevelopmentAccountName};QueueEndpoint=http://127.0.0.1:{QueuePort}/{StorageApi.DevelopmentAccountName};");

    /// <summary>Runs <c>npm ci</c> in the checkout when Azurite is not installed. Returns true when it installed.</summary>
    public static async Task<bool> EnsureInstalledAsync(DevPaths paths, Action<string> status, CancellationToken cancellationToken)
    {
        if (File.Exists(paths.AzuriteScript))
        {
            return false;
        }

        status("Azurite is not installed: running `npm ci` (the version pinned in package-lock.json)...");
        var startInfo = new ProcessStartInfo("npm") { WorkingDirectory = paths.Root };
        foreach (var arg in new[] { "ci", "--no-audit", "--no-fund" })
        {
            startInfo.ArgumentList.Add(arg);
        }

        using var npm = ChildProcess.Start("npm", startInfo, Path.Combine(paths.Logs, "npm-ci.log"));
        await npm.WaitForExitAsync(cancellationToken).ConfigureAwait(false);

        if (npm.ExitCode != 0 || !File.Exists(paths.AzuriteScript))
        {
            throw new Common.UsageException($"`npm ci` did not install Azurite (see {Path.Combine(paths.Logs, "npm-ci.log")}):{Environment.NewLine}{npm.RecentOutput}");
        }

        return true;
    }

    public static async Task<AzuriteLauncher> StartAsync(DevPaths paths, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(paths.AzuriteData);
        var watchdog = Path.Combine(paths.State, "azurite-watchdog.js");
        await File.WriteAllTextAsync(watchdog, WatchdogScript, cancellationToken).ConfigureAwait(false);
        var blob = PortFinder.PreferredOrFree(10000);
        var queue = PortFinder.PreferredOrFree(10001);
        var table = PortFinder.PreferredOrFree(10002);
        var startInfo = new ProcessStartInfo("node") { WorkingDirectory = paths.AzuriteData };
        foreach (var arg in new[]
        {
            "--require", watchdog, paths.AzuriteScript,
            "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", table.ToString(CultureInfo.InvariantCulture),
            "--location", paths.AzuriteData, "--disableTelemetry", "--skipApiVersionCheck",
        })
        {
            startInfo.ArgumentList.Add(arg);
        }

        // The watchdog's backstop; its main signal is the end of stdin, which ChildProcess always redirects.
        startInfo.Environment["CLOUDARCHIVE_PARENT_PID"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        startInfo.Environment.Remove("AZURITE_ACCOUNTS"); // the dev archive uses the well-known development account
        var process = ChildProcess.Start("Azurite", startInfo, Path.Combine(paths.Logs, "azurite.log"), StopGracePeriod);
        var launcher = new AzuriteLauncher(process, blob, queue);
        try
        {
            await launcher.WaitUntilAnsweringAsync(cancellationToken).ConfigureAwait(false);
            return launcher;
        }
        catch
        {
            launcher.Dispose();
            throw;
        }
    }

    public void Dispose() => _process.Dispose();

    private async Task WaitUntilAnsweringAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        foreach (var port in new[] { BlobPort, QueuePort })
        {
            while (true)
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException("Azurite exited during start-up:" + Environment.NewLine + _process.RecentOutput);
                }

                try
                {
                    // Any HTTP answer (400/403 to an unsigned request) proves the service is serving.
                    using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/{StorageApi.DevelopmentAccountName}?comp=list"), timeout.Token).ConfigureAwait(false);
                    break;
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(200, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new InvalidOperationException($"Azurite did not answer within {StartTimeout.TotalSeconds} s:" + Environment.NewLine + _process.RecentOutput);
                }
            }
        }
    }
}
