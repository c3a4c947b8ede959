using System.Diagnostics;
using System.Globalization;

namespace CloudArchive.Cli.Commands.Dev;

/// <summary>
/// Builds (unless told which binary to use) and starts the function app in its local host, so no Functions host
/// or Core Tools are needed: <c>dotnet CloudArchive.Functions.dll</c> in its output folder (host.json beside it)
/// with the archive settings plus <c>LocalHost__Enabled</c>, <c>LocalHost__Urls</c> (loopback, 7071 when free) and
/// <c>LocalHost__ParentProcessId</c> (this CLI: the app stops itself when the CLI is gone, even after SIGKILL).
/// Ready when <c>GET /admin/host/status</c> answers 200.
/// </summary>
internal sealed class FunctionHostLauncher : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly ChildProcess _process;

    private FunctionHostLauncher(ChildProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public int ProcessId => _process.Id;

    public Uri BaseUri => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}/"));

    /// <summary>The local host's readiness endpoint (the Functions host's own path).</summary>
    public Uri StatusUri => new(BaseUri, "admin/host/status");

    /// <summary>Builds the function app into <c>.cloudarchive/build</c> and returns the path of its dll.</summary>
    public static async Task<string> BuildAsync(DevPaths paths, CancellationToken cancellationToken)
    {
        var project = Path.Combine(paths.Root, "src", "CloudArchive.Functions", "CloudArchive.Functions.csproj");
        var artifacts = Path.Combine(paths.State, "build");
        var startInfo = new ProcessStartInfo("dotnet") { WorkingDirectory = paths.Root };
        foreach (var arg in new[] { "build", project, "--artifacts-path", artifacts, "-nologo", "-v", "q" })
        {
            startInfo.ArgumentList.Add(arg);
        }

        using var build = ChildProcess.Start("dotnet build", startInfo, Path.Combine(paths.Logs, "functions-build.log"));
        await build.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var dll = Path.Combine(artifacts, "bin", "CloudArchive.Functions", "debug", "CloudArchive.Functions.dll");
        if (build.ExitCode != 0 || !File.Exists(dll))
        {
            throw new Common.UsageException($"Building the function app failed (see {Path.Combine(paths.Logs, "functions-build.log")}):{Environment.NewLine}{build.RecentOutput}");
        }

        return dll;
    }

    public static async Task<FunctionHostLauncher> StartAsync(string dll, IReadOnlyDictionary<string, string> settings, DevPaths paths, CancellationToken cancellationToken)
    {
        if (!File.Exists(dll))
        {
            throw new Common.UsageException($"Function app binary not found: {dll}");
        }

        var port = PortFinder.PreferredOrFree(7071);
        var startInfo = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)! };
        startInfo.ArgumentList.Add(dll);
        foreach (var (key, value) in settings)
        {
            startInfo.Environment[key] = value;
        }

        foreach (var (key, value) in LocalHostEnvironment(port, Environment.ProcessId))
        {
            startInfo.Environment[key] = value;
        }

        var process = ChildProcess.Start("function app", startInfo, Path.Combine(paths.Logs, "functions.log"));
        var launcher = new FunctionHostLauncher(process, port);
        try
        {
            await launcher.WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
            return launcher;
        }
        catch
        {
            launcher.Dispose();
            throw;
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>What turns the app into its own local host on <paramref name="port"/>, watching <paramref name="parentProcessId"/>.</summary>
    internal static IReadOnlyDictionary<string, string> LocalHostEnvironment(int port, int parentProcessId) => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
        ["LocalHost__Enabled"] = "true",
        ["LocalHost__Urls"] = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"),
        ["LocalHost__ParentProcessId"] = parentProcessId.ToString(CultureInfo.InvariantCulture),
        ["DOTNET_ENVIRONMENT"] = "Development",
    };

    public string RecentOutput => _process.RecentOutput;

    public void Dispose() => _process.Dispose();

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            if (_process.HasExited)
            {
                throw new Common.UsageException("The function app exited during start-up:" + Environment.NewLine + _process.RecentOutput);
            }

            try
            {
                using var response = await http.GetAsync(StatusUri, timeout.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                break;
            }

            try
            {
                await Task.Delay(200, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        throw new Common.UsageException($"The function app did not become ready within {StartTimeout.TotalSeconds} s:" + Environment.NewLine + _process.RecentOutput);
    }
}
