using CloudArchive.Core.Ingest;
using CloudArchive.Functions.LocalHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CloudArchive.Functions.Tests.LocalTriggers;

/// <summary>
/// The local host with its triggers running (scanner, queue listeners) against Azurite, on the scenario's own
/// incoming container, queues and scan state, with a stub ingest handler and short poll, scan and visibility times.
/// </summary>
internal sealed class LocalHostLoopApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _keyDirectory;
    private bool _stopped;

    private LocalHostLoopApp(WebApplication app, string keyDirectory)
    {
        _app = app;
        _keyDirectory = keyDirectory;
    }

    public IServiceProvider Services => _app.Services;

    public static async Task<LocalHostLoopApp> StartAsync(LocalTriggerScenario scenario, IIngestHandler handler, IDictionary<string, string?>? settings = null)
    {
        var keyDirectory = TestArchiveSettings.NewKeyDirectory();
        var app = LocalHostApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Logging.ClearProviders();
            var values = TestArchiveSettings.For(scenario.ConnectionString, keyDirectory);
            values["CloudArchive:Storage:CreateContainers"] = "false";
            values["CloudArchive:Containers:Incoming"] = scenario.Incoming;
            values["LocalHost:RunTriggers"] = "true";
            values["LocalHost:ScanInterval"] = "00:00:00.200";
            values["LocalHost:MaxPollingInterval"] = "00:00:00.200";
            values["LocalHost:VisibilityTimeout"] = "00:00:02";
            values["LocalHost:RetryDelay"] = "00:00:00";
            values["LocalHost:MaxConcurrency"] = "4";
            values["LocalHost:StateContainer"] = scenario.StateContainer;
            values["LocalHost:Queues:IngestInstance"] = scenario.Queue;
            values["LocalHost:Queues:ExportResearchCopies"] = scenario.ExportQueue;
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                values[key] = value;
            }

            builder.Configuration.AddInMemoryCollection(values);
            builder.Services.AddSingleton(handler);
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        });
        await app.StartAsync(Xunit.TestContext.Current.CancellationToken);
        return new LocalHostLoopApp(app, keyDirectory);
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
        TestArchiveSettings.DeleteDirectory(_keyDirectory);
    }
}
