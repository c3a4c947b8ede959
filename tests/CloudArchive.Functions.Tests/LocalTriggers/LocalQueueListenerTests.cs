using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using CloudArchive.Functions.Ingest;
using CloudArchive.Functions.LocalHost;
using CloudArchive.Testing.Azurite;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace CloudArchive.Functions.Tests.LocalTriggers;

/// <summary>What the local host's queue listener does with one received message, as the Functions host's queue trigger would (host.json semantics).</summary>
public sealed class LocalQueueListenerTests : IClassFixture<AzuriteFixture>
{
    private readonly AzuriteFixture _azurite;

    public LocalQueueListenerTests(AzuriteFixture azurite) => _azurite = azurite;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(LocalQueueListener Listener, QueueClient Queue, QueueClient Poison)> ListenerAsync(HandlerServer server, int maxDequeueCount = 3)
    {
        var name = AzuriteFixture.UniqueName("lq");
        var options = new LocalHostOptions { MaxDequeueCount = maxDequeueCount, RetryDelay = TimeSpan.Zero, VisibilityTimeout = TimeSpan.FromSeconds(30) };
        var listener = new LocalQueueListener(_azurite.Connection.Queues, name, server.Invoker.Catalog.Get(IngestInstance.Name), server.Invoker, options, TimeProvider.System, NullLogger.Instance);
        Assert.Equal(0, await listener.DrainOnceAsync(Ct)); // creates the queue and its poison queue
        return (listener, _azurite.Connection.Queues.GetQueueClient(name), _azurite.Connection.Queues.GetQueueClient(name + "-poison"));
    }

    private static async Task<QueueMessage> SendAndReceiveAsync(QueueClient queue, string text)
    {
        await queue.SendMessageAsync(text, cancellationToken: Ct);
        return Assert.Single((await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30), Ct)).Value);
    }

    [Fact]
    public async Task A_successful_invocation_deletes_the_message()
    {
        var handler = new FakeIngestHandler();
        await using var server = await HandlerServer.StartAsync(handler);
        var (listener, queue, poison) = await ListenerAsync(server);

        var outcome = await listener.ProcessAsync(await SendAndReceiveAsync(queue, Payloads.Base64(Payloads.EventGridEvent())), Ct);

        Assert.Equal(QueueDeliveryOutcome.Completed, outcome);
        Assert.Equal(1, Assert.Single(handler.Requests).DeliveryCount);
        Assert.Empty((await queue.PeekMessagesAsync(1, Ct)).Value);
        Assert.Empty((await poison.PeekMessagesAsync(1, Ct)).Value);
    }

    [Fact]
    public async Task A_failed_invocation_makes_the_message_visible_again_until_the_last_allowed_delivery_poisons_it()
    {
        var handler = new FakeIngestHandler { FailWith = new IOException("storage unavailable") };
        await using var server = await HandlerServer.StartAsync(handler);
        var (listener, queue, poison) = await ListenerAsync(server, maxDequeueCount: 2);
        var text = Payloads.Base64(Payloads.EventGridEvent());

        var first = await listener.ProcessAsync(await SendAndReceiveAsync(queue, text), Ct);
        var again = Assert.Single((await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30), Ct)).Value);
        var last = await listener.ProcessAsync(again, Ct);

        Assert.Equal(QueueDeliveryOutcome.WillRetry, first);
        Assert.Equal(2, again.DequeueCount);
        Assert.Equal(QueueDeliveryOutcome.Poisoned, last);
        Assert.Equal([1, 2], handler.Requests.Select(r => r.DeliveryCount));
        Assert.Empty((await queue.PeekMessagesAsync(1, Ct)).Value);
        Assert.Equal(text, Assert.Single((await poison.PeekMessagesAsync(8, Ct)).Value).Body.ToString());
    }

    [Fact]
    public async Task A_message_delivered_more_often_than_allowed_without_a_recorded_failure_is_poisoned_without_an_invocation()
    {
        // The app died during earlier deliveries: the dequeue count grew, but no failure was ever handled.
        var handler = new FakeIngestHandler();
        await using var server = await HandlerServer.StartAsync(handler);
        var (listener, queue, poison) = await ListenerAsync(server, maxDequeueCount: 3);
        var received = await SendAndReceiveAsync(queue, Payloads.Base64(Payloads.EventGridEvent()));

        var redelivered = QueuesModelFactory.QueueMessage(received.MessageId, received.PopReceipt, received.Body, dequeueCount: 4, received.NextVisibleOn, received.InsertedOn, received.ExpiresOn);

        var outcome = await listener.ProcessAsync(redelivered, Ct);

        Assert.Equal(QueueDeliveryOutcome.Poisoned, outcome);
        Assert.Empty(handler.Requests);
        Assert.Empty((await queue.PeekMessagesAsync(1, Ct)).Value);
        Assert.Single((await poison.PeekMessagesAsync(8, Ct)).Value);
    }

    [Fact]
    public async Task Drain_runs_a_batch_of_messages_in_parallel_and_reports_how_many_it_received()
    {
        var handler = new FakeIngestHandler();
        await using var server = await HandlerServer.StartAsync(handler);
        var (listener, queue, _) = await ListenerAsync(server);
        for (var i = 0; i < 3; i++)
        {
            await queue.SendMessageAsync(Payloads.Base64(Payloads.EventGridEvent(blob: $"{i}.dcm")), cancellationToken: Ct);
        }

        var received = await listener.DrainOnceAsync(Ct);

        Assert.Equal(3, received);
        Assert.Equal(["0.dcm", "1.dcm", "2.dcm"], handler.Requests.Select(r => r.BlobName).Order(StringComparer.Ordinal));
        Assert.Equal(0, await listener.DrainOnceAsync(Ct));
    }
}
