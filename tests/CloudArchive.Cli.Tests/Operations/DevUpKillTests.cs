using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CloudArchive.Azure.Storage;
using CloudArchive.Cli.Commands.Dev;
using CloudArchive.Testing;
using Xunit;

namespace CloudArchive.Cli.Tests.Operations;

/// <summary>
/// Nothing <c>dev up</c> started outlives it, even when it is killed without a chance to clean up: the real CLI runs
/// as its own process, is killed with SIGKILL once the function app is up, and Azurite (its node watchdog) and the
/// function app (its <c>LocalHost__ParentProcessId</c> watchdog) must stop by themselves — Azurite through its own
/// shutdown, which saves its databases: killed, it loses the last 5 s of writes.
/// </summary>
[Collection(DevUpCollection.Name)]
public sealed partial class DevUpKillTests : IDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(15);

    private const string WrittenJustBeforeTheKill = "written-just-before-the-kill";

    private readonly string _state = Path.Combine(Path.GetTempPath(), "ca-devup-kill-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_state, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
        catch (UnauthorizedAccessException)
        {
            // best effort
        }
    }

    [Fact]
    public async Task Azurite_and_the_function_app_stop_when_dev_up_is_killed()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var root = RepositoryPaths.FindRoot();
        var start = new ProcessStartInfo(DevUpBinaries.DotnetHost())
        {
            WorkingDirectory = root,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in new[] { DevUpBinaries.CliDll(), "dev", "up", "--repo", root, "--state-dir", _state, "--functions-dll", DevUpBinaries.FunctionsDll() })
        {
            start.ArgumentList.Add(arg);
        }

        var output = new StringBuilder();
        using var cli = new Process { StartInfo = start };
        cli.OutputDataReceived += (_, e) => Append(output, e.Data);
        cli.ErrorDataReceived += (_, e) => Append(output, e.Data);
        cli.Start();
        cli.BeginOutputReadLine();
        cli.BeginErrorReadLine();

        int? azurite = null, functionApp = null;
        try
        {
            var (azuritePid, functionAppPid, functionAppPort) = await WaitUntilRunningAsync(cli, output, cancellationToken);
            azurite = azuritePid;
            functionApp = functionAppPid;
            var storage = StorageConnection.FromConnectionString(DevEnvValue(ConnectionStringLine(), await File.ReadAllTextAsync(Path.Combine(_state, "dev.env"), cancellationToken)));
            await storage.Blobs.GetBlobContainerClient(WrittenJustBeforeTheKill).CreateIfNotExistsAsync(cancellationToken: cancellationToken);

            cli.Kill(); // SIGKILL on Unix: no Dispose, no process-exit hook
            await cli.WaitForExitAsync(cancellationToken);

            var deadline = DateTime.UtcNow + StopLimit;
            bool portOpen, azuriteRunning, appRunning;
            do
            {
                await Task.Delay(250, cancellationToken);
                portOpen = await ProcessProbe.AcceptsConnectionsAsync(functionAppPort, cancellationToken);
                azuriteRunning = !ProcessProbe.IsGone(azuritePid);
                appRunning = !ProcessProbe.IsGone(functionAppPid);
            }
            while ((portOpen || azuriteRunning || appRunning) && DateTime.UtcNow < deadline);

            Assert.False(portOpen, $"the function app still accepts connections on port {functionAppPort} {StopLimit.TotalSeconds} s after dev up was killed");
            Assert.False(appRunning, $"the function app (pid {functionAppPid}) still runs {StopLimit.TotalSeconds} s after dev up was killed");
            Assert.False(azuriteRunning, $"Azurite (pid {azuritePid}) still runs {StopLimit.TotalSeconds} s after dev up was killed");

            using var restarted = await AzuriteLauncher.StartAsync(DevPaths.Find(root, _state), cancellationToken);
            var again = StorageConnection.FromConnectionString(restarted.ConnectionString);
            Assert.True((await again.Blobs.GetBlobContainerClient(WrittenJustBeforeTheKill).ExistsAsync(cancellationToken)).Value, "Azurite lost what was written just before dev up was killed");
        }
        finally
        {
            // Whatever the outcome, nothing of this test keeps running.
            if (!cli.HasExited)
            {
                cli.Kill(entireProcessTree: true);
            }

            foreach (var pid in new[] { functionApp, azurite }.OfType<int>())
            {
                ProcessProbe.KillIfRunning(pid);
            }
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    /// <summary>
    /// Waits until dev.env names the researcher API (written once the function app answered) and the table with both
    /// pids is printed; returns Azurite's pid, the function app's pid and port.
    /// </summary>
    private async Task<(int Azurite, int FunctionApp, int FunctionAppPort)> WaitUntilRunningAsync(Process cli, StringBuilder output, CancellationToken cancellationToken)
    {
        var devEnv = Path.Combine(_state, "dev.env");
        var deadline = DateTime.UtcNow + StartLimit;
        while (true)
        {
            Assert.False(cli.HasExited, $"dev up exited ({(cli.HasExited ? cli.ExitCode : 0)}) before the function app was up:\n{Text(output)}");
            Assert.True(DateTime.UtcNow < deadline, $"dev up did not bring the function app up within {StartLimit.TotalMinutes} min:\n{Text(output)}");
            var text = Text(output);
            var azurite = AzuritePid().Match(text);
            var app = FunctionAppPid().Match(text);
            if (azurite.Success && app.Success && File.Exists(devEnv)
                && ResearchApiUrl().Match(await ReadSharedAsync(devEnv, cancellationToken)) is { Success: true } url)
            {
                return (Parse(azurite), Parse(app), Parse(url));
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    private static async Task<string> ReadSharedAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (IOException)
        {
            return string.Empty; // being rewritten
        }
    }

    private static string DevEnvValue(Regex line, string devEnv) => line.Match(devEnv) is { Success: true } match
        ? match.Groups[1].Value.TrimEnd('\r')
        : throw new InvalidOperationException("not in dev.env: " + line);

    private static int Parse(Match match) => int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"Azurite blob.*\(pid (\d+)\)")]
    private static partial Regex AzuritePid();

    [GeneratedRegex(@"Function app.*\(pid (\d+)")]
    private static partial Regex FunctionAppPid();

    [GeneratedRegex(@"^CloudArchive__Storage__ConnectionString=(.+)$", RegexOptions.Multiline)]
    private static partial Regex ConnectionStringLine();

    [GeneratedRegex(@"^CloudArchive__ResearchApi__Url=http://127\.0\.0\.1:(\d+)/", RegexOptions.Multiline)]
    private static partial Regex ResearchApiUrl();
}
