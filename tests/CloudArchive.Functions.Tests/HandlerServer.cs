using CloudArchive.Core.Ingest;
using CloudArchive.Functions.Ingest;
using CloudArchive.Functions.LocalHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CloudArchive.Functions.Tests;

/// <summary>
/// The local host on a real loopback socket with its triggers off and no storage behind it (nothing here touches
/// Azurite): queue functions are invoked through <see cref="LocalFunctionInvoker"/> exactly as the host's queue listener
/// invokes them (middleware, binding data, constructor injection), HTTP functions through <see cref="Client"/>.
/// </summary>
internal sealed class HandlerServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _keyDirectory;

    private HandlerServer(WebApplication app, HttpClient client, string keyDirectory, LogRecorder logs)
    {
        _app = app;
        _keyDirectory = keyDirectory;
        Client = client;
        Logs = logs;
        Invoker = app.Services.GetRequiredService<LocalFunctionInvoker>();
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public LogRecorder Logs { get; }

    public LocalFunctionInvoker Invoker { get; }

    /// <summary>Starts the local host; <paramref name="handler"/> replaces the ingest service (null: the real, lazily built one).</summary>
    /// <param name="handler">The ingest handler the function hands uploads to.</param>
    /// <param name="extraArgs">Command-line arguments replacing the default <c>--urls http://127.0.0.1:0</c>.</param>
    /// <param name="settings">Settings added after the defaults (so they win over them).</param>
    public static async Task<HandlerServer> StartAsync(IIngestHandler? handler, string[]? extraArgs = null, IDictionary<string, string?>? settings = null)
    {
        string[] args = extraArgs ?? ["--urls", "http://127.0.0.1:0"];
        var keyDirectory = TestArchiveSettings.NewKeyDirectory();
        var logs = new LogRecorder();
        WebApplication app;
        try
        {
            app = LocalHostApp.Build(args, builder =>
            {
                builder.Logging.ClearProviders();
                builder.Logging.AddProvider(logs);
                builder.Logging.SetMinimumLevel(LogLevel.Information);
                var values = TestArchiveSettings.For("UseDevelopmentStorage=true", keyDirectory);
                values["CloudArchive:Storage:CreateContainers"] = "false";
                values["LocalHost:RunTriggers"] = "false";
                foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
                {
                    values[key] = value;
                }

                builder.Configuration.AddInMemoryCollection(values);
                if (handler is not null)
                {
                    builder.Services.AddSingleton(handler);
                }
            });
            await app.StartAsync(Xunit.TestContext.Current.CancellationToken);
        }
        catch
        {
            TestArchiveSettings.DeleteDirectory(keyDirectory);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
        return new HandlerServer(app, client, keyDirectory, logs);
    }

    /// <summary>One delivery of a queue message to IngestInstance, as the local host's queue listener makes it; throws when the invocation fails.</summary>
    public Task DeliverIngestAsync(string messageText, long dequeueCount = 1) =>
        Invoker.InvokeQueueAsync(Invoker.Catalog.Get(IngestInstance.Name), messageText, Guid.NewGuid().ToString("D"), dequeueCount, DateTimeOffset.UtcNow, Xunit.TestContext.Current.CancellationToken);

    /// <summary>The function class as the invoker activates it (constructor injection from the app's services).</summary>
    public IngestInstance CreateIngestInstance() => ActivatorUtilities.CreateInstance<IngestInstance>(_app.Services);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        TestArchiveSettings.DeleteDirectory(_keyDirectory);
    }
}
