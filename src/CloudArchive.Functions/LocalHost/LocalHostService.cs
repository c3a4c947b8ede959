using CloudArchive.Azure.Composition;
using CloudArchive.Azure.Storage;
using CloudArchive.Functions.Ingest;

namespace CloudArchive.Functions.LocalHost;

/// <summary>
/// The Functions host's and Event Grid's part, run in-process (docs/local-dev.md): a listener per queue-triggered
/// function, a runner per timer-triggered function, and the <c>incoming</c> scanner that turns new uploads into
/// Event Grid-shaped BlobCreated events on the ingest function's queue. Storage being unavailable (Azurite restarting)
/// is retried on the next tick; it never stops the host.
/// </summary>
internal sealed class LocalHostService : BackgroundService
{
    private readonly LocalHostOptions _options;
    private readonly LocalFunctionInvoker _invoker;
    private readonly CloudArchiveSettings _settings;
    private readonly StorageConnection _storage;
    private readonly IConfiguration _configuration;
    private readonly TimeProvider _time;
    private readonly ILogger<LocalHostService> _logger;

    public LocalHostService(LocalHostOptions options, LocalFunctionInvoker invoker, CloudArchiveSettings settings, StorageConnection storage, IConfiguration configuration, TimeProvider time, ILogger<LocalHostService> logger)
    {
        _options = options;
        _invoker = invoker;
        _settings = settings;
        _storage = storage;
        _configuration = configuration;
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var runs = new List<Task>();
        var connections = new Dictionary<string, StorageConnection>(StringComparer.Ordinal);
        foreach (var function in _invoker.Catalog.Functions)
        {
            switch (function.Trigger)
            {
                case LocalTriggerKind.Queue:
                    var queue = _options.QueueFor(function);
                    var connection = QueueConnection(function, connections);
                    runs.Add(RunListenerAsync(new LocalQueueListener(connection.Queues, queue, function, _invoker, _options, _time, _logger), stoppingToken));
                    if (function.Name == IngestInstance.Name)
                    {
                        var scanner = new IncomingScanner(_storage, connection, _settings.Containers.Incoming, queue, _options.StateContainer, _time);
                        runs.Add(RunScannerAsync(scanner, stoppingToken));
                        _logger.LogInformation("LocalHost: scanning '{Container}' every {Interval} into '{Queue}'.", _settings.Containers.Incoming, _options.ScanInterval, queue);
                    }

                    _logger.LogInformation("LocalHost: {Function} listens to '{Queue}' (poison '{Poison}').", function.Name, queue, CloudArchive.Azure.Composition.ArchiveQueueNames.Poison(queue));
                    break;
                case LocalTriggerKind.Timer:
                    var schedule = LocalTimerRunner.ScheduleFor(function, _options, _configuration);
                    runs.Add(new LocalTimerRunner(function, schedule, _invoker, _time, _logger).RunAsync(stoppingToken));
                    _logger.LogInformation("LocalHost: {Function} runs on its schedule; next at {Next:O}.", function.Name, schedule.Next(_time.GetUtcNow()));
                    break;
            }
        }

        await Task.WhenAll(runs).ConfigureAwait(false);
    }

    /// <summary>
    /// The account a queue trigger's <c>Connection</c> names, as the host resolves it: the app setting of that name when it
    /// holds a connection string, else the archive's own storage account (a managed identity in Azure).
    /// </summary>
    private StorageConnection QueueConnection(LocalFunction function, Dictionary<string, StorageConnection> opened)
    {
        if (function.Connection is not { } name || _configuration[name] is not { Length: > 0 } connectionString || !connectionString.Contains('=', StringComparison.Ordinal))
        {
            return _storage;
        }

        // One connection per setting, shared by every function that names it, as the host shares its clients.
        if (!opened.TryGetValue(name, out var connection))
        {
            connection = StorageConnection.FromConnectionString(connectionString);
            opened[name] = connection;
        }

        return connection;
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
                    _logger.LogInformation("LocalHost: enqueued {Count} BlobCreated event(s).", count);
                }
            }
            catch (Exception ex) when (IsTransient(ex))
            {
                // Nothing was marked as enqueued: the next tick tries again.
                _logger.LogWarning("LocalHost: scan failed ({Error}); retrying.", ex.GetType().Name);
            }

            await DelayAsync(_options.ScanInterval, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task RunListenerAsync(LocalQueueListener listener, CancellationToken stoppingToken)
    {
        var idle = TimeSpan.FromMilliseconds(100);
        while (!stoppingToken.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await listener.DrainOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsTransient(ex))
            {
                _logger.LogWarning("LocalHost: receive from '{Queue}' failed ({Error}); retrying.", listener.QueueName, ex.GetType().Name);
                received = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
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

    private static bool IsTransient(Exception ex) =>
        ex is StorageRequestException or global::Azure.RequestFailedException or AggregateException or HttpRequestException or IOException;

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
