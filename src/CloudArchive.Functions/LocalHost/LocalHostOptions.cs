namespace CloudArchive.Functions.LocalHost;

/// <summary>
/// Settings of the local host (section <c>LocalHost</c>), which stands in for the Functions host and Event Grid when the
/// app runs without Azure (Azurite, <c>cloudarchive dev up</c>, tests). Queue defaults mirror host.json so local
/// behaviour matches the cloud.
/// </summary>
public sealed class LocalHostOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "LocalHost";

    /// <summary>Starts the local host instead of the isolated worker. Off by default: in Azure the Functions host runs the app.</summary>
    public bool Enabled { get; set; }

    /// <summary>Where Kestrel listens (<c>;</c>-separated URLs). Default: ASP.NET Core's <c>--urls</c> / <c>ASPNETCORE_URLS</c>.</summary>
    public string? Urls { get; set; }

    /// <summary>The process that started this one (<c>dev up</c>): when it is gone, the local host stops too.</summary>
    public int? ParentProcessId { get; set; }

    /// <summary>Runs the queue listeners, the incoming scanner and the timers. Default true; tests that invoke functions directly turn it off.</summary>
    public bool RunTriggers { get; set; } = true;

    /// <summary>How often <c>incoming</c> is listed for new uploads. Default 2 s.</summary>
    public TimeSpan ScanInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait between polls of an empty queue (host.json <c>maxPollingInterval</c>). Default 5 s.</summary>
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a received message stays invisible while it is processed; renewed while the call runs. Default 30 s.</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>When a failed message becomes visible again (host.json <c>visibilityTimeout</c>: the delay between retries). Default 30 s.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Deliveries before a message moves to the poison queue (host.json <c>maxDequeueCount</c>). Default 5.</summary>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>Messages of one queue processed at the same time (host.json <c>batchSize</c>). Default 8.</summary>
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>How long one function invocation may take before it counts as failed. Default 30 min (host.json <c>functionTimeout</c>).</summary>
    public TimeSpan InvocationTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Queue names by function, replacing the trigger's own (<c>LocalHost:Queues:IngestInstance</c>); tests isolate themselves this way.</summary>
    public Dictionary<string, string> Queues { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Schedules by timer function, replacing the trigger's own (<c>LocalHost:Schedules:RetentionSweep</c>); dev up's demo shortens them.</summary>
    public Dictionary<string, string> Schedules { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The container holding the scanner's memory of what it already enqueued. Default <c>local-triggers</c>.</summary>
    public string StateContainer { get; set; } = "local-triggers";

    /// <summary>The queue a function listens to: the configured replacement or the trigger's own name.</summary>
    internal string QueueFor(LocalFunction function) =>
        Queues.TryGetValue(function.Name, out var name) && !string.IsNullOrWhiteSpace(name) ? name : function.Target;


    /// <summary>Throws <see cref="InvalidOperationException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        static void Require(bool ok, string message)
        {
            if (!ok)
            {
                throw new InvalidOperationException($"{Section}: {message}");
            }
        }

        Require(ScanInterval > TimeSpan.Zero, "ScanInterval must be positive.");
        Require(MaxPollingInterval > TimeSpan.Zero, "MaxPollingInterval must be positive.");
        Require(VisibilityTimeout >= TimeSpan.FromSeconds(1) && VisibilityTimeout <= TimeSpan.FromDays(7), "VisibilityTimeout must be between 1 s and 7 days.");
        Require(RetryDelay >= TimeSpan.Zero && RetryDelay <= TimeSpan.FromDays(7), "RetryDelay must be between 0 and 7 days.");
        Require(MaxDequeueCount is >= 1 and <= 1000, "MaxDequeueCount must be between 1 and 1000.");
        Require(MaxConcurrency is >= 1 and <= 32, "MaxConcurrency must be between 1 and 32.");
        Require(InvocationTimeout > TimeSpan.Zero, "InvocationTimeout must be positive.");
        Require(ParentProcessId is null or > 0, "ParentProcessId must be a process id.");
        Require(!string.IsNullOrWhiteSpace(StateContainer), "StateContainer is required.");
        Require(Queues.Values.All(q => !string.IsNullOrWhiteSpace(q)), "Queues entries must name a queue.");
        Require(Queues.Values.Distinct(StringComparer.Ordinal).Count() == Queues.Count, "Queues entries must differ.");
    }
}
