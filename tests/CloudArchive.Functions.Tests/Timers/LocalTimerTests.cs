using CloudArchive.Functions.LocalHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Xunit;

namespace CloudArchive.Functions.Tests.Timers;

public sealed class LocalTimerTests
{
    [Fact]
    public async Task The_local_host_runs_a_timer_function_on_the_schedule_its_setting_names()
    {
        var keys = Directory.CreateTempSubdirectory("ca-timer-").FullName;
        var root = RepositoryPaths.FindRoot();
        ProbeTimer.Runs.Clear();
        await using var app = LocalHostApp.Build(
            ["--urls", "http://127.0.0.1:0"],
            builder =>
            {
                builder.Logging.ClearProviders();
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["CloudArchive:Storage:ConnectionString"] = "UseDevelopmentStorage=true",
                    ["CloudArchive:Storage:CreateContainers"] = "false",
                    ["CloudArchive:Keys:Provider"] = "Local",
                    ["CloudArchive:Keys:LocalKeyFile"] = keys,
                    // Entra ID settings: the app starts without reaching Entra ID (its metadata is read on first use).
                    ["CloudArchive:Auth:TenantId"] = "72f988bf-86f1-41af-91ab-2d7cd011db47",
                    ["CloudArchive:Auth:Audience"] = "api://cloudarchive",
                    ["CloudArchive:Policies:RetentionFiles"] = Path.Combine(root, "data/policies/retention/default.json"),
                    ["CloudArchive:Policies:MinimizationFile"] = Path.Combine(root, "data/policies/minimization/default.json"),
                    ["ProbeTimer:Schedule"] = "*/1 * * * * *",
                });
            },
            [typeof(ProbeTimer)]);
        try
        {
            await app.StartAsync(TestContext.Current.CancellationToken);
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (ProbeTimer.Runs.Count < 2 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }

            Assert.True(ProbeTimer.Runs.Count >= 2, $"{ProbeTimer.Runs.Count} run(s) in 20 s");
            var runs = ProbeTimer.Runs.ToArray();
            Assert.All(runs, r => Assert.True(r.Timer.ScheduleStatus!.Next > r.Timer.ScheduleStatus.LastUpdated.AddSeconds(-1)));
            Assert.NotEqual(runs[0].CorrelationId, runs[1].CorrelationId);
            Assert.True(runs[1].Timer.ScheduleStatus!.Last > DateTime.MinValue);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            Directory.Delete(keys, recursive: true);
        }
    }

    [Fact]
    public void A_schedule_setting_that_is_missing_stops_the_start_with_its_name()
    {
        var catalog = new LocalFunctionCatalog([typeof(ProbeTimer)]);
        var function = catalog.Get(ProbeTimer.Name);

        var ex = Assert.Throws<InvalidOperationException>(() => LocalTimerRunner.ScheduleFor(function, new LocalHostOptions(), new ConfigurationBuilder().Build()));

        Assert.Contains("ProbeTimer:Schedule", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_configured_schedule_replaces_the_trigger_s_own()
    {
        var function = new LocalFunctionCatalog([typeof(ProbeTimer)]).Get(ProbeTimer.Name);
        var options = new LocalHostOptions { Schedules = { [ProbeTimer.Name] = "0 0 3 * * *" } };

        var schedule = LocalTimerRunner.ScheduleFor(function, options, new ConfigurationBuilder().Build());

        Assert.Equal(new DateTimeOffset(2026, 12, 7, 3, 0, 0, TimeSpan.Zero), schedule.Next(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero)));
    }
}
