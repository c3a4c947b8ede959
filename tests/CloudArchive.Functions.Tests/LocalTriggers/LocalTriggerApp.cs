using CloudArchive.Core.Ingest;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CloudArchive.Functions.Tests.LocalTriggers;

/// <summary>The function app with local triggers on, listening on a real loopback port, with a stub ingest handler.</summary>
internal sealed class LocalTriggerApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private LocalTriggerApp(WebApplication app) => _app = app;

    public static async Task<LocalTriggerApp> StartAsync(LocalTriggerScenario scenario, IIngestHandler handler)
    {
        var app = FunctionsApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["LocalTriggers:Enabled"] = "true",
                ["LocalTriggers:ScanInterval"] = "00:00:00.200",
                ["LocalTriggers:MaxPollingInterval"] = "00:00:00.200",
                ["LocalTriggers:VisibilityTimeout"] = "00:00:02",
                ["LocalTriggers:RetryDelay"] = "00:00:00",
                ["LocalTriggers:MaxConcurrency"] = "4",
                ["LocalTriggers:IngestQueue"] = scenario.Queue,
                ["LocalTriggers:StateContainer"] = scenario.StateContainer,
                ["CloudArchive:Containers:Incoming"] = scenario.Incoming,
                ["CloudArchive:Storage:ConnectionString"] = scenario.ConnectionString,
            });
            builder.Services.AddSingleton(handler);
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        });
        await app.StartAsync(Xunit.TestContext.Current.CancellationToken);
        return new LocalTriggerApp(app);
    }

    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }
}
