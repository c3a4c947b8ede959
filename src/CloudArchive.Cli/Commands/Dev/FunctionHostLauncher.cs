using System.Diagnostics;
using System.Globalization;

namespace CloudArchive.Cli.Commands.Dev;

/// <summary>
/// Builds (unless told which binary to use) and starts the custom-handler app as the Functions host would:
/// <c>dotnet CloudArchive.Functions.dll</c> in its output folder (host.json and function.json beside it),
/// <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> set, plus the archive settings — with local triggers on, so no Core
/// Tools are needed. Ready when <c>GET /</c> answers 200.
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

        startInfo.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        startInfo.Environment["FUNCTIONS_APP_ROOT_PATH"] = Path.GetDirectoryName(dll)!;
        startInfo.Environment["DOTNET_ENVIRONMENT"] = "Development";
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
                using var response = await http.GetAsync(BaseUri, timeout.Token).ConfigureAwait(false);
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
