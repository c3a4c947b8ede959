using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Functions.Tests.LocalTriggers;

/// <summary>
/// The local trigger loop end to end on Azurite: blob in <c>incoming</c> → BlobCreated event on the queue →
/// HTTP POST to <c>/IngestInstance</c> → the (stub) ingest handler, with retries, poison queue and restarts.
/// </summary>
public sealed class LocalTriggerLoopTests : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly AzuriteFixture _azurite;

    public LocalTriggerLoopTests(AzuriteFixture azurite) => _azurite = azurite;

    [Fact]
    public async Task New_blob_is_delivered_to_the_handler_exactly_once_and_an_overwrite_once_more()
    {
        var scenario = new LocalTriggerScenario(_azurite);
        var handler = new StubIngestHandler();
        await using var app = await LocalTriggerApp.StartAsync(scenario, handler);

        var written = await scenario.UploadAsync("modality-1/series 2/img 1.dcm", [1, 2, 3, 4, 5]);
        await LocalTriggerScenario.WaitUntilAsync(() => !handler.Requests.IsEmpty, Wait, "the handler is invoked");
        await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken); // several scan and poll ticks

        var request = Assert.Single(handler.Requests);
        Assert.Equal(scenario.Incoming, request.Container);
        Assert.Equal("modality-1/series 2/img 1.dcm", request.BlobName);
        Assert.Equal(written.ETag.ToString().Trim('"'), request.ETag?.Trim('"'));
        Assert.Equal(5, request.ContentLength);
        Assert.Equal("PutBlob", request.Api);
        Assert.Equal(1, request.DeliveryCount);
        Assert.Equal(0, await scenario.IngestQueue.GetApproximateMessageCountAsync(TestContext.Current.CancellationToken));

        // A new version of the same name (new ETag) is a new upload: one more event, as Event Grid sends.
        var second = await scenario.UploadAsync("modality-1/series 2/img 1.dcm", [9, 9, 9]);
        await LocalTriggerScenario.WaitUntilAsync(() => handler.Requests.Count >= 2, Wait, "the overwrite is delivered");
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal(second.ETag.ToString().Trim('"'), handler.Requests.Last().ETag?.Trim('"'));
    }

    [Fact]
    public async Task Failing_handler_is_retried_up_to_max_dequeue_count_then_the_message_goes_to_the_poison_queue()
    {
        var scenario = new LocalTriggerScenario(_azurite);
        var handler = new StubIngestHandler { Fail = true };
        await using var app = await LocalTriggerApp.StartAsync(scenario, handler);

        await scenario.UploadAsync("bad.dcm", [0]);
        await LocalTriggerScenario.WaitUntilAsync(
            async () => (await scenario.PeekPoisonAsync(1)).Count == 1, Wait, "the message is poisoned");
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);

        Assert.Equal([1, 2, 3, 4, 5], handler.Requests.Select(r => r.DeliveryCount).ToArray());
        Assert.All(handler.Requests, r => Assert.Equal("bad.dcm", r.BlobName));
        Assert.Equal(0, await scenario.IngestQueue.GetApproximateMessageCountAsync(TestContext.Current.CancellationToken));
        var poisoned = Assert.Single(await scenario.PeekPoisonAsync());
        Assert.Contains("Microsoft.Storage.BlobCreated", poisoned.Text, StringComparison.Ordinal);
        Assert.Contains("/blobs/bad.dcm", poisoned.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_loses_nothing_an_interrupted_invocation_is_redelivered_and_seen_uploads_are_not_repeated()
    {
        var scenario = new LocalTriggerScenario(_azurite);
        var first = new StubIngestHandler();
        var app1 = await LocalTriggerApp.StartAsync(scenario, first);
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
        await using var app2 = await LocalTriggerApp.StartAsync(scenario, second);
        await LocalTriggerScenario.WaitUntilAsync(() => second.Requests.Count >= 2, Wait, "both pending uploads are delivered after the restart");
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken); // past the visibility timeout: any stray re-delivery would show

        var names = second.Requests.Select(r => r.BlobName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["interrupted.dcm", "while-down.dcm"], names);
        Assert.True(second.Requests.Single(r => r.BlobName == "interrupted.dcm").DeliveryCount >= 2);
        Assert.Equal(0, await scenario.IngestQueue.GetApproximateMessageCountAsync(TestContext.Current.CancellationToken));
        Assert.Empty(await scenario.PeekPoisonAsync());
    }
}
