using CloudArchive.Functions.Hosting;
using CloudArchive.Functions.Lifecycle;
using CloudArchive.Functions.LocalHost;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace CloudArchive.Functions.Tests.Timers;

public sealed class RetentionSweepTimerTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_sweep_is_a_timer_whose_schedule_setting_defaults_to_daily_at_two()
    {
        var function = LocalFunctionCatalog.ForAssembly(typeof(RetentionSweep).Assembly).Get(RetentionSweep.Name);
        Assert.Equal(LocalTriggerKind.Timer, function.Trigger);
        Assert.Equal("%CloudArchive:Schedules:RetentionSweep%", function.Target);

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(TimerScheduleDefaults.Values).Build();
        var schedule = LocalTimerRunner.ScheduleFor(function, new LocalHostOptions(), configuration);

        Assert.Equal(new DateTimeOffset(2026, 12, 7, 2, 0, 0, TimeSpan.Zero), schedule.Next(Noon));
    }

    [Fact]
    public void An_app_setting_or_the_fast_schedule_of_dev_up_replaces_the_default()
    {
        var function = LocalFunctionCatalog.ForAssembly(typeof(RetentionSweep).Assembly).Get(RetentionSweep.Name);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["CloudArchive:Schedules:RetentionSweep"] = "0 30 4 * * *" }).Build();
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 4, 30, 0, TimeSpan.Zero), LocalTimerRunner.ScheduleFor(function, new LocalHostOptions(), configuration).Next(Noon));

        var fast = new LocalHostOptions();
        fast.Schedules[RetentionSweep.Name] = "30 * * * * *";
        Assert.Equal(Noon.AddSeconds(30), LocalTimerRunner.ScheduleFor(function, fast, configuration).Next(Noon));
    }
}
