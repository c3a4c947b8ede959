namespace CloudArchive.Functions.LocalTriggers;

/// <summary>
/// Settings of the local trigger loop (section <c>LocalTriggers</c>), the stand-in for Event Grid and the
/// Functions host's queue trigger when the app runs without Azure (Azurite, <c>cloudarchive dev up</c>).
/// Defaults mirror host.json so local behaviour matches the cloud.
/// </summary>
public sealed class LocalTriggerOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "LocalTriggers";

    /// <summary>Turns the loop on. Off by default: in Azure, Event Grid and the host deliver the events.</summary>
    public bool Enabled { get; set; }

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

    /// <summary>Invocations running at the same time (host.json <c>batchSize</c>). Default 8.</summary>
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>How long one function invocation may take before it counts as failed. Default 30 min (host.json <c>functionTimeout</c>).</summary>
    public TimeSpan InvocationTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The queue BlobCreated events are posted to and drained from. Default <c>ingest-events</c>.</summary>
    public string IngestQueue { get; set; } = "ingest-events";

    /// <summary>Where messages go after <see cref="MaxDequeueCount"/> failures. Default <c>{IngestQueue}-poison</c>, as the host names it.</summary>
    public string? PoisonQueue { get; set; }

    /// <summary>The queue of research export requests drained into <c>/ExportResearchCopies</c>. Default <c>export-requests</c>.</summary>
    public string ExportQueue { get; set; } = "export-requests";

    /// <summary>The container holding the scanner's memory of what it already enqueued. Default <c>local-triggers</c>.</summary>
    public string StateContainer { get; set; } = "local-triggers";

    /// <summary>
    /// The function app's base address (e.g. <c>http://127.0.0.1:7071</c>). Default: the address this app listens on.
    /// </summary>
    public Uri? FunctionBaseUri { get; set; }

    /// <summary>The poison queue name in effect.</summary>
    public string EffectivePoisonQueue => string.IsNullOrWhiteSpace(PoisonQueue) ? IngestQueue + "-poison" : PoisonQueue;

    /// <summary>The export requests' poison queue, named as the host names it.</summary>
    public string EffectiveExportPoisonQueue => ExportQueue + "-poison";

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
        Require(MaxConcurrency is >= 1 and <= 64, "MaxConcurrency must be between 1 and 64.");
        Require(InvocationTimeout > TimeSpan.Zero, "InvocationTimeout must be positive.");
        Require(!string.IsNullOrWhiteSpace(IngestQueue), "IngestQueue is required.");
        Require(!string.IsNullOrWhiteSpace(ExportQueue), "ExportQueue is required.");
        Require(!string.Equals(ExportQueue, IngestQueue, StringComparison.Ordinal), "ExportQueue and IngestQueue must differ.");
        Require(!string.IsNullOrWhiteSpace(StateContainer), "StateContainer is required.");
    }
}
