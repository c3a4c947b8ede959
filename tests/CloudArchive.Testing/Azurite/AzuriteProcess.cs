using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using CloudArchive.Azure.Storage;

namespace CloudArchive.Testing.Azurite;

/// <summary>
/// A private Azurite (the version pinned in <c>package-lock.json</c>) with Blob and Queue (and Table)
/// services on loopback, in memory. Ports are chosen by the operating system (Azurite is started with port 0
/// and reports the ports it bound), so nothing depends on a port being free by luck. The process is killed on
/// <see cref="Dispose"/>, at process exit, and by a watchdog inside node if this process dies without either.
/// </summary>
public sealed partial class AzuriteProcess : IDisposable, IAsyncDisposable
{
    /// <summary>Environment variable naming the process the node watchdog follows.</summary>
    private const string ParentPidVariable = "CLOUDARCHIVE_AZURITE_PARENT_PID";

    /// <summary>Exits node when the parent (test host or benchmark) is gone, even after SIGKILL.</summary>
    private const string WatchdogScript = """
        'use strict';
        const parent = Number(process.env.CLOUDARCHIVE_AZURITE_PARENT_PID);
        if (parent > 0) {
          setInterval(() => {
            try { process.kill(parent, 0); } catch (e) { if (e.code === 'ESRCH') { process.exit(0); } }
          }, 1000).unref();
        }
        """;

    private const int MaxStartAttempts = 3;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _workDirectory;
    private readonly ConcurrentQueue<string> _output;
    private readonly EventHandler _onProcessExit;
    private int _disposed;

    private AzuriteProcess(Process process, string workDirectory, ConcurrentQueue<string> output, Uri blob, Uri queue, Uri table)
    {
        _process = process;
        _workDirectory = workDirectory;
        _output = output;
        BlobServiceUri = new Uri($"{blob.GetLeftPart(UriPartial.Authority)}/{AccountName}");
        QueueServiceUri = new Uri($"{queue.GetLeftPart(UriPartial.Authority)}/{AccountName}");
        TableServiceUri = new Uri($"{table.GetLeftPart(UriPartial.Authority)}/{AccountName}");
        _onProcessExit = (_, _) => Dispose();
        AppDomain.CurrentDomain.ProcessExit += _onProcessExit;
    }

    /// <summary>The account name (Azurite's well-known development account).</summary>
    public string AccountName => StorageApi.DevelopmentAccountName;

    /// <summary>The account key (Azurite's well-known, public development key).</summary>
    public string AccountKey => StorageApi.DevelopmentAccountKey;

    /// <summary>The path-style blob endpoint, e.g. <c>http://127.0.0.1:41234/devstoreaccount1</c>.</summary>
    public Uri BlobServiceUri { get; }

    /// <summary>The path-style queue endpoint.</summary>
    public Uri QueueServiceUri { get; }

    /// <summary>The path-style table endpoint (started because Azurite starts all three; unused by CloudArchive today).</summary>
    public Uri TableServiceUri { get; }

    /// <summary>A SharedKey connection string for this instance.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint={BlobServiceUri};QueueEndpoint={QueueServiceUri};";

    /// <summary>The node process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>True while the node process runs.</summary>
    public bool IsRunning => !_process.HasExited;

    /// <summary>The last lines Azurite printed (for diagnosing a failed start or crash).</summary>
    public string RecentOutput => string.Join(Environment.NewLine, _output);

    /// <summary>
    /// Starts Azurite from <c>node_modules</c> under the repository root and waits until the blob and queue
    /// endpoints answer HTTP. Tries up to three times; throws <see cref="InvalidOperationException"/> with
    /// Azurite's output if it never comes up, or telling to run <c>npm ci</c> if it is not installed.
    /// </summary>
    public static async Task<AzuriteProcess> StartAsync(CancellationToken cancellationToken = default)
    {
        var root = RepositoryPaths.FindRoot();
        var script = Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException(
                $"Azurite is not installed ({script} is missing). Run `npm ci --no-audit --no-fund` in {root} first; it installs the Azurite version pinned in package-lock.json.");
        }

        Exception? last = null;
        for (var attempt = 1; attempt <= MaxStartAttempts; attempt++)
        {
            try
            {
                return await StartOnceAsync(script, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                last = ex;
            }
        }

        throw new InvalidOperationException($"Azurite did not start after {MaxStartAttempts} attempts.", last);
    }

    /// <summary>A fresh <see cref="StorageConnection"/> to this instance (SharedKey).</summary>
    public StorageConnection CreateConnection(StorageOptions? options = null) => StorageConnection.FromConnectionString(ConnectionString, options);

    /// <summary>Kills Azurite (and any child) and removes its scratch directory. Safe to call more than once.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= _onProcessExit;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already exited between the check and the kill.
        }
        finally
        {
            _process.Dispose();
            TryDeleteDirectory(_workDirectory);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static async Task<AzuriteProcess> StartOnceAsync(string script, CancellationToken cancellationToken)
    {
        var workDirectory = Path.Combine(Path.GetTempPath(), "cloudarchive-azurite-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(workDirectory);
        var watchdog = Path.Combine(workDirectory, "watchdog.js");
        await File.WriteAllTextAsync(watchdog, WatchdogScript, cancellationToken).ConfigureAwait(false);

        var startInfo = new ProcessStartInfo("node")
        {
            WorkingDirectory = workDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "--require", watchdog, script,
            "--blobHost", "127.0.0.1", "--blobPort", "0",
            "--queueHost", "127.0.0.1", "--queuePort", "0",
            "--tableHost", "127.0.0.1", "--tablePort", "0",
            "--inMemoryPersistence", "--disableTelemetry", "--silent",
        })
        {
            startInfo.ArgumentList.Add(arg);
        }

        startInfo.Environment[ParentPidVariable] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        startInfo.Environment.Remove("AZURITE_ACCOUNTS"); // the tests rely on the well-known development account
        startInfo.Environment.Remove("AZURITE_DB");

        var output = new ConcurrentQueue<string>();
        var endpoints = new ConcurrentDictionary<string, Uri>(StringComparer.Ordinal);
        var allListening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            output.Enqueue(line);
            while (output.Count > 200 && output.TryDequeue(out _))
            {
            }

            var match = ListeningLine().Match(line);
            if (match.Success)
            {
                endpoints[match.Groups[1].Value] = new Uri(match.Groups[2].Value);
                if (endpoints.ContainsKey("Blob") && endpoints.ContainsKey("Queue") && endpoints.ContainsKey("Table"))
                {
                    allListening.TrySetResult();
                }
            }
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += (_, _) => exited.TrySetResult();
        try
        {
            if (!process.Start())
            {
                throw new InvalidOperationException("node did not start.");
            }
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            process.Dispose();
            TryDeleteDirectory(workDirectory);
            throw new InvalidOperationException("Could not run `node`: install Node.js (20 or later) and make sure it is on PATH.", ex);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var instance = default(AzuriteProcess);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StartTimeout);
            var first = await Task.WhenAny(allListening.Task, exited.Task, Task.Delay(Timeout.Infinite, timeout.Token)).ConfigureAwait(false);
            if (first != allListening.Task)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new InvalidOperationException(
                    (first == exited.Task ? "Azurite exited during start-up." : $"Azurite did not report its ports within {StartTimeout.TotalSeconds} s.")
                    + Environment.NewLine + string.Join(Environment.NewLine, output));
            }

            instance = new AzuriteProcess(process, workDirectory, output, endpoints["Blob"], endpoints["Queue"], endpoints["Table"]);
            await instance.WaitUntilAnsweringAsync(timeout.Token).ConfigureAwait(false);
            return instance;
        }
        catch
        {
            if (instance is not null)
            {
                instance.Dispose();
            }
            else
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // exited already
                }

                process.Dispose();
                TryDeleteDirectory(workDirectory);
            }

            throw;
        }
    }

    /// <summary>Any HTTP answer (even 400/403 to an unsigned request) proves the service is serving.</summary>
    private async Task WaitUntilAnsweringAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        foreach (var endpoint in new[] { BlobServiceUri, QueueServiceUri })
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (_process.HasExited)
                {
                    throw new InvalidOperationException("Azurite exited during start-up." + Environment.NewLine + RecentOutput);
                }

                try
                {
                    using var response = await http.GetAsync(new Uri(endpoint, "?comp=list"), cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(100, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a scratch directory in the temp folder.
        }
        catch (UnauthorizedAccessException)
        {
            // Best effort.
        }
    }

    [GeneratedRegex(@"Azurite (Blob|Queue|Table) service is successfully listening at (https?://\S+)")]
    private static partial Regex ListeningLine();
}
