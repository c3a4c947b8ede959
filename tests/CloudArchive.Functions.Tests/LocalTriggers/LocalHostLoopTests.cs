using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Functions.Tests.LocalTriggers;

/// <summary>
/// The local host's trigger loop end to end on Azurite: blob in <c>incoming</c> → the scanner's BlobCreated event on the
/// ingest queue → the queue listener → IngestInstance through the middleware → the (stub) ingest handler, with retries,
/// the poison queue and restarts.
/// </summary>
public sealed class LocalHostLoopTests : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly AzuriteFixture _azurite;

    public LocalHostLoopTests(AzuriteFixture azurite) => _azurite = azurite;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task New_blob_is_delivered_to_the_handler_exactly_once_and_an_overwrite_once_more()
    {
        var scenario = new LocalTriggerScenario(_azurite);
        var handler = new StubIngestHandler();
        await using var app = await LocalHostLoopApp.StartAsync(scenario, handler);

        var written = await scenario.UploadAsync("modality-1/series 2/img 1.dcm", [1, 2, 3, 4, 5]);
        await LocalTriggerScenario.WaitUntilAsync(() => !handler.Requests.IsEmpty, Wait, "the handler is invoked");
        await Task.Delay(TimeSpan.FromSeconds(1.5), Ct); // several scan and poll ticks

        var request = Assert.Single(handler.Requests);
        Assert.Equal(scenario.Incoming, request.Container);
        Assert.Equal("modality-1/series 2/img 1.dcm", request.BlobName);
        Assert.Equal(written.ETag.ToString().Trim('"'), request.ETag?.Trim('"'));
        Assert.Equal(5, request.ContentLength);
        Assert.Equal("PutBlob", request.Api);
        Assert.Equal(1, request.DeliveryCount);
        Assert.True(Guid.TryParse(request.CorrelationId, out _), request.CorrelationId);
        Assert.Equal(0, (await scenario.IngestQueue.GetPropertiesAsync(Ct)).Value.ApproximateMessagesCount);

        // A new version of the same name (new ETag) is a new upload: one more event, as Event Grid sends.
        var second = await scenario.UploadAsync("modality-1/series 2/img 1.dcm", [9, 9, 9]);
        await LocalTriggerScenario.WaitUntilAsync(() => handler.Requests.Count >= 2, Wait, "the overwrite is delivered");
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal(second.ETag.ToString().Trim('"'), handler.Requests.Last().ETag?.Trim('"'));
    }

    [Fact]
    public async Task Failing_handler_is_retried_up_to_max_dequeue_count_then_the_message_goes_to_the_poison_queue()
    {
        var scenario = new LocalTriggerScenario(_azurite);
        var handler = new StubIngestHandler { Fail = true };
        await using var app = await LocalHostLoopApp.StartAsync(scenario, handler);

        await scenario.UploadAsync("bad.dcm", [0]);
        await LocalTriggerScenario.WaitUntilAsync(async () => (await scenario.PeekPoisonAsync(1)).Count == 1, Wait, "the message is poisoned");
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);

        Assert.Equal([1, 2, 3, 4, 5], handler.Requests.Select(r => r.DeliveryCount).ToArray());
        Assert.All(handler.Requests, r => Assert.Equal("bad.dcm", r.BlobName));
        Assert.Equal(5, handler.Requests.Select(r => r.CorrelationId).Distinct().Count());
        Assert.Equal(0, (await scenario.IngestQueue.GetPropertiesAsync(Ct)).Value.ApproximateMessagesCount);
        var poisoned = Assert.Single(await scenario.PeekPoisonAsync());
        Assert.Contains("Microsoft.Storage.BlobCreated", poisoned.Body.ToString(), StringComparison.Ordinal);
        Assert.Contains("/blobs/bad.dcm", poisoned.Body.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreadable_message_is_never_handed_to_ingest_and_is_poisoned_after_max_dequeue_count_deliveries()
    {
        var scenario = new LocalTriggerScenario(_azurite);
        var handler = new StubIngestHandler();
        await using var app = await LocalHostLoopApp.StartAsync(scenario, handler, new Dictionary<string, string?> { ["LocalHost:MaxDequeueCount"] = "3" });
        await scenario.IngestQueue.CreateIfNotExistsAsync(cancellationToken: Ct);

        await scenario.IngestQueue.SendMessageAsync("this is not an event", cancellationToken: Ct);
        await LocalTriggerScenario.WaitUntilAsync(async () => (await scenario.PeekPoisonAsync(1)).Count == 1, Wait, "the message is poisoned");

        // Kept as sent, for an operator to look at; the ingest service never saw it.
        Assert.Equal("this is not an event", Assert.Single(await scenario.PeekPoisonAsync()).Body.ToString());
        Assert.Empty(handler.Requests);
        Assert.Equal(0, (await scenario.IngestQueue.GetPropertiesAsync(Ct)).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task Restart_loses_nothing_an_interrupted_invocation_is_redelivered_and_seen_uploads_are_not_repeated()
    {
        var scenario = new LocalTriggerScenario(_azurite);
        var first = new StubIngestHandler();
        var app1 = await LocalHostLoopApp.StartAsync(scenario, first);
        await scenario.UploadAsync("done.dcm", [1]);
        await LocalTriggerScenario.WaitUntilAsync(() => first.Requests.Count == 1, Wait, "the first upload is delivered");

        // The next invocation hangs; the app stops (crash/Ctrl+C) while it is in flight.
        first.BlockUntilCancelled = true;
        await scenario.UploadAsync("interrupted.dcm", [2]);
        await LocalTriggerScenario.WaitUntilAsync(() => first.Requests.Count == 2, Wait, "the second upload is in flight");
        await app1.DisposeAsync();

        // Uploaded while nothing runs.
        await scenario.UploadAsync("while-down.dcm", [3]);

        var second = new StubIngestHandler();
        await using var app2 = await LocalHostLoopApp.StartAsync(scenario, second);
        await LocalTriggerScenario.WaitUntilAsync(() => second.Requests.Count >= 2, Wait, "both pending uploads are delivered after the restart");
        await Task.Delay(TimeSpan.FromSeconds(3), Ct); // past the visibility timeout: any stray re-delivery would show

        var names = second.Requests.Select(r => r.BlobName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["interrupted.dcm", "while-down.dcm"], names);
        Assert.True(second.Requests.Single(r => r.BlobName == "interrupted.dcm").DeliveryCount >= 2);
        Assert.Equal(0, (await scenario.IngestQueue.GetPropertiesAsync(Ct)).Value.ApproximateMessagesCount);
        Assert.Empty(await scenario.PeekPoisonAsync());
    }
}
