using CloudArchive.Azure.Storage;
using CloudArchive.Functions.Functions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace CloudArchive.Functions.LocalTriggers;

/// <summary>
/// Runs Event Grid's and the Functions host's part locally (ARCHITECTURE §5): scans <c>incoming</c>,
/// enqueues BlobCreated events to <c>ingest-events</c>, and drains that queue by POSTing to this app's own
/// <c>/IngestInstance</c> endpoint over HTTP — the same path the host uses in Azure; likewise it drains
/// <c>export-requests</c> into <c>/ExportResearchCopies</c>.
/// </summary>
internal sealed class LocalTriggerService : BackgroundService
{
    private readonly LocalTriggerOptions _options;
    private readonly FunctionsOptions _functions;
    private readonly StorageConnection _connection;
    private readonly IServer _server;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly IConfiguration _configuration;
    private readonly TimeProvider _time;
    private readonly ILogger<LocalTriggerService> _logger;

    public LocalTriggerService(
        IOptions<LocalTriggerOptions> options,
        IOptions<FunctionsOptions> functions,
        LocalTriggerStorage storage,
        IServer server,
        IHostApplicationLifetime lifetime,
        IConfiguration configuration,
        ILogger<LocalTriggerService> logger)
    {
        _options = options.Value;
        _options.Validate();
        _functions = functions.Value;
        _connection = storage.Connection;
        _server = server;
        _lifetime = lifetime;
        _configuration = configuration;
        _time = TimeProvider.System;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The endpoint must be listening before the first invocation.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (_lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            await started.Task.ConfigureAwait(false);
        }

        var baseUri = ResolveFunctionBaseUri();
        _logger.LogInformation("LocalTriggers: scanning '{Container}' every {Scan}, draining '{Queue}' into {Endpoint}.", _functions.Incoming, _options.ScanInterval, _options.IngestQueue, baseUri);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var scanner = new IncomingScanner(_connection, _functions.Incoming, _options, _time);
        var drainer = new QueueTriggerDrainer(_connection, http, _options, IngestInstanceFunction.Name, IngestInstanceFunction.MessageBinding, _time, _logger);
        var exports = new QueueTriggerDrainer(_connection, http, _options, _options.ExportQueue, _options.EffectiveExportPoisonQueue, ExportResearchCopiesFunction.Name, ExportResearchCopiesFunction.MessageBinding, _time, _logger);
        await Task.WhenAll(RunScannerAsync(scanner, stoppingToken), RunDrainerAsync(drainer, baseUri, stoppingToken), RunDrainerAsync(exports, baseUri, stoppingToken)).ConfigureAwait(false);
    }

    private async Task RunScannerAsync(IncomingScanner scanner, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var count = await scanner.ScanOnceAsync(stoppingToken).ConfigureAwait(false);
                if (count > 0)
                {
                    _logger.LogInformation("LocalTriggers: enqueued {Count} BlobCreated event(s).", count);
                }
            }
            catch (Exception ex) when (ex is StorageRequestException or global::Azure.RequestFailedException or AggregateException or HttpRequestException or IOException)
            {
                // Storage unavailable (Azurite restarting): try again on the next tick; nothing was marked as enqueued.
                _logger.LogWarning("LocalTriggers: scan failed ({Error}); retrying.", ex.GetType().Name);
            }

            await DelayAsync(_options.ScanInterval, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task RunDrainerAsync(QueueTriggerDrainer drainer, Uri baseUri, CancellationToken stoppingToken)
    {
        var idle = TimeSpan.FromMilliseconds(100);
        while (!stoppingToken.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await drainer.DrainOnceAsync(baseUri, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is StorageRequestException or global::Azure.RequestFailedException or AggregateException or HttpRequestException or IOException)
            {
                _logger.LogWarning("LocalTriggers: receive failed ({Error}); retrying.", ex.GetType().Name);
                received = 0;
            }

            if (received > 0)
            {
                idle = TimeSpan.FromMilliseconds(100);
                continue;
            }

            // Exponential back-off on an empty queue, capped like the host's maxPollingInterval.
            await DelayAsync(idle, stoppingToken).ConfigureAwait(false);
            idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, _options.MaxPollingInterval.Ticks));
        }
    }

    private Uri ResolveFunctionBaseUri()
    {
        if (_options.FunctionBaseUri is { } configured)
        {
            return configured;
        }

        if (_configuration[FunctionsApp.PortVariable] is { Length: > 0 } port)
        {
            return new Uri($"http://127.0.0.1:{port}");
        }

        var address = _server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException($"{LocalTriggerOptions.Section}: cannot tell which address the app listens on; set {LocalTriggerOptions.Section}:FunctionBaseUri.");
        // A wildcard binding (http://+:80, http://0.0.0.0:5000) is reached over loopback.
        var uri = new Uri(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal).Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal).Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal));
        return uri;
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
