using System.Diagnostics;
using CloudArchive.Functions.LocalHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit;

namespace CloudArchive.Functions.Tests;

/// <summary>The local host stops when the process that started it (<c>dev up</c>) is gone, and only then.</summary>
public sealed class ParentProcessWatchdogTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The id of a process that ran and has exited (and been reaped).</summary>
    private static async Task<int> ExitedProcessIdAsync()
    {
        using var process = Process.Start(new ProcessStartInfo("dotnet", "--version") { RedirectStandardOutput = true, UseShellExecute = false })!;
        await process.StandardOutput.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return process.Id;
    }

    [Fact]
    public void A_running_parent_is_alive_with_or_without_its_start_time()
    {
        var self = Environment.ProcessId;
        var started = ParentProcessWatchdog.StartTimeUtc(self);

        Assert.NotNull(started);
        Assert.True(started <= DateTime.UtcNow);
        Assert.True(ParentProcessWatchdog.IsParentAlive(self, null));
        Assert.True(ParentProcessWatchdog.IsParentAlive(self, started));
        // Two readings of one start time may differ by the clock's resolution.
        Assert.True(ParentProcessWatchdog.IsParentAlive(self, started!.Value.AddMilliseconds(500)));
    }

    [Fact]
    public void A_process_that_started_after_the_recorded_start_is_another_process_reusing_the_id()
    {
        var self = Environment.ProcessId;
        var started = ParentProcessWatchdog.StartTimeUtc(self)!.Value;

        Assert.False(ParentProcessWatchdog.IsParentAlive(self, started.AddMinutes(-5)));
    }

    [Fact]
    public async Task An_exited_or_unknown_process_is_gone()
    {
        var exited = await ExitedProcessIdAsync();

        Assert.False(ParentProcessWatchdog.IsParentAlive(exited, null));
        Assert.Null(ParentProcessWatchdog.StartTimeUtc(exited));
        Assert.False(ParentProcessWatchdog.IsParentAlive(int.MaxValue, null));
    }

    [Fact]
    public async Task The_local_host_stops_itself_once_its_parent_is_gone()
    {
        var parent = await ExitedProcessIdAsync();
        var keys = TestArchiveSettings.NewKeyDirectory();
        try
        {
            var settings = TestArchiveSettings.For("UseDevelopmentStorage=true", keys);
            settings["CloudArchive:Storage:CreateContainers"] = "false";
            settings["LocalHost:RunTriggers"] = "false";
            settings["LocalHost:ParentProcessId"] = parent.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await using var app = LocalHostApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
            {
                builder.Logging.ClearProviders();
                builder.Configuration.AddInMemoryCollection(settings);
            });
            var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();

            try
            {
                await app.StartAsync(Ct);
            }
            catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
            {
                // The watchdog found the parent gone while the other services were still starting: the start is abandoned.
            }

            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!lifetime.ApplicationStopping.IsCancellationRequested && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, Ct);
            }

            Assert.True(lifetime.ApplicationStopping.IsCancellationRequested, "the local host kept running after its parent process exited");
            await app.StopAsync(Ct);
        }
        finally
        {
            TestArchiveSettings.DeleteDirectory(keys);
        }
    }

    [Fact]
    public async Task The_local_host_keeps_running_while_its_parent_runs()
    {
        await using var server = await HandlerServer.StartAsync(new FakeIngestHandler(), settings: new Dictionary<string, string?> { ["LocalHost:ParentProcessId"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var lifetime = server.Services.GetRequiredService<IHostApplicationLifetime>();

        await Task.Delay(TimeSpan.FromSeconds(2.5), Ct); // past two of the watchdog's one-second checks

        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested);
    }
}
