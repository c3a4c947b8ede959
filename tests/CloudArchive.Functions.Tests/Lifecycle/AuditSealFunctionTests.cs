using CloudArchive.Core.Audit;
using CloudArchive.Core.Audit.Seals;
using CloudArchive.Functions.Hosting;
using CloudArchive.Functions.LocalHost;
using CloudArchive.Functions.Tests.EndToEnd;
using CloudArchive.Testing.Azurite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using AuditSeal = CloudArchive.Functions.Lifecycle.AuditSeal;

namespace CloudArchive.Functions.Tests.Lifecycle;

/// <summary>The <c>AuditSeal</c> timer in the composed app on Azurite, and its schedule setting.</summary>
public sealed class AuditSealFunctionTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void The_schedule_defaults_to_five_past_every_hour_and_a_setting_or_fast_timer_replaces_it()
    {
        var function = LocalFunctionCatalog.ForAssembly(typeof(AuditSeal).Assembly).Get(AuditSeal.Name);
        var defaults = new ConfigurationBuilder();
        TimerScheduleDefaults.AddTo(defaults);
        var noon = new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

        var hourly = LocalTimerRunner.ScheduleFor(function, new LocalHostOptions(), defaults.Build());
        var configured = LocalTimerRunner.ScheduleFor(function, new LocalHostOptions(),
            defaults.AddInMemoryCollection(new Dictionary<string, string?> { [AuditSeal.ScheduleSetting] = "0 30 * * * *" }).Build());
        var fast = LocalTimerRunner.ScheduleFor(function, new LocalHostOptions { Schedules = { [AuditSeal.Name] = "30 * * * * *" } }, defaults.Build());

        Assert.Equal(noon.AddMinutes(5), hourly.Next(noon));
        Assert.Equal(noon.AddMinutes(30), configured.Next(noon));
        Assert.Equal(noon.AddSeconds(30), fast.Next(noon));
    }

    [Fact]
    public async Task A_run_seals_the_closed_hours_with_the_app_s_keys_and_a_second_run_changes_nothing()
    {
        await using var app = await IngestApp.StartAsync(azurite);
        var store = app.Services.GetRequiredService<IAuditLogStore>();
        var chainKey = app.Services.GetRequiredService<IAuditChainKeySource>();
        var past = new PastClock(TimeSpan.FromHours(3));
        using (var writer = new AuditLogWriter(store, "earlier-instance", past, chainKey: chainKey))
        {
            await writer.AppendAsync(new AuditEvent
            {
                EventType = AuditEventType.Import,
                Action = AuditAction.Create,
                Outcome = AuditOutcome.Success,
                Actor = new AuditActor("svc:ingest", isRequestor: false),
            }, Ct);
        }

        var function = ActivatorUtilities.CreateInstance<AuditSeal>(app.Services);

        var first = await function.SealAsync("timer-1", Ct);
        var second = await function.SealAsync("timer-2", Ct);

        Assert.True(first.Created >= 2, $"{first.Created} seal(s)");
        Assert.Equal(1, first.Outcomes[0].Seal.Lines);
        Assert.Empty(second.Outcomes);
        Assert.Equal(first.Created, (await app.ListAsync(app.Container("Seals"))).Count);
        var (findings, seals) = await app.Services.GetRequiredService<AuditSealVerifier>().VerifyAsync(null, null, Ct);
        Assert.Empty(findings);
        Assert.Equal(first.Created, seals);
        Assert.Contains(app.Logs.Lines, m => m.Contains("AuditSeal timer-1: ", StringComparison.Ordinal) && m.Contains("hour(s) sealed", StringComparison.Ordinal));
    }

    private sealed class PastClock(TimeSpan ago) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow - ago;
    }
}
