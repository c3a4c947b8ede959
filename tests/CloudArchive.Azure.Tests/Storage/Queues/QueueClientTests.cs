using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Queues;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Azure.Tests.Storage.Queues;

public sealed class QueueClientTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_queue_is_idempotent_and_delete_reports_whether_it_existed()
    {
        var queue = azurite.Connection.Queues.GetQueue(AzuriteFixture.UniqueName("idem"));
        Assert.True(await queue.CreateIfNotExistsAsync(Ct));
        Assert.False(await queue.CreateIfNotExistsAsync(Ct));
        Assert.True(await queue.DeleteIfExistsAsync(Ct));
        Assert.False(await queue.DeleteIfExistsAsync(Ct));
    }

    [Fact]
    public async Task Send_receive_delete_round_trip_with_ids_pop_receipts_and_dequeue_counts()
    {
        var queue = await azurite.CreateQueueAsync("rt", cancellationToken: Ct);
        var sent = await queue.SendAsync("{\"blob\":\"incoming/a.dcm\"}", cancellationToken: Ct);
        Assert.False(string.IsNullOrEmpty(sent.MessageId));
        Assert.Equal(1, await queue.GetApproximateMessageCountAsync(Ct));

        var received = Assert.Single(await queue.ReceiveAsync(5, TimeSpan.FromSeconds(30), Ct));
        Assert.Equal(sent.MessageId, received.MessageId);
        Assert.Equal("{\"blob\":\"incoming/a.dcm\"}", received.Text);
        Assert.Equal(1, received.DequeueCount);
        Assert.False(string.IsNullOrEmpty(received.PopReceipt));
        Assert.True(received.NextVisibleOn > DateTimeOffset.UtcNow.AddSeconds(20));

        Assert.Empty(await queue.ReceiveAsync(cancellationToken: Ct));

        await queue.DeleteMessageAsync(received.MessageId, received.PopReceipt, Ct);
        Assert.Equal(0, await queue.GetApproximateMessageCountAsync(Ct));
        var again = await Assert.ThrowsAsync<StorageRequestException>(() => queue.DeleteMessageAsync(received.MessageId, received.PopReceipt, Ct));
        Assert.True(again.IsNotFound);
        Assert.Equal("DeleteMessage", again.Operation);
    }

    [Fact]
    public async Task Update_visibility_returns_a_new_pop_receipt_and_makes_the_message_visible_again()
    {
        var queue = await azurite.CreateQueueAsync("vis", cancellationToken: Ct);
        await queue.SendAsync("work", cancellationToken: Ct);
        var first = Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromMinutes(5), Ct));

        var updated = await queue.UpdateMessageAsync(first.MessageId, first.PopReceipt, TimeSpan.Zero, "work, retried", Ct);
        Assert.NotEqual(first.PopReceipt, updated.PopReceipt);

        var second = Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromSeconds(30), Ct));
        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal("work, retried", second.Text);
        Assert.Equal(2, second.DequeueCount);

        var stale = await Assert.ThrowsAsync<StorageRequestException>(() => queue.DeleteMessageAsync(first.MessageId, first.PopReceipt, Ct));
        Assert.True(stale.IsNotFound || stale.Status == 400);
        await queue.DeleteMessageAsync(second.MessageId, second.PopReceipt, Ct);
    }

    [Fact]
    public async Task Peek_shows_messages_without_hiding_them_or_counting_a_dequeue()
    {
        var queue = await azurite.CreateQueueAsync("peek", cancellationToken: Ct);
        await queue.SendAsync("a", cancellationToken: Ct);
        await queue.SendAsync("b", cancellationToken: Ct);
        var peeked = await queue.PeekAsync(32, Ct);
        Assert.Equal(["a", "b"], peeked.Select(p => p.Text));
        Assert.All(peeked, p => Assert.Equal(0, p.DequeueCount));
        Assert.Equal(2, (await queue.ReceiveAsync(32, cancellationToken: Ct)).Count);
    }

    [Fact]
    public async Task Send_with_a_visibility_delay_hides_the_message_at_first()
    {
        var queue = await azurite.CreateQueueAsync("delay", cancellationToken: Ct);
        await queue.SendAsync("later", visibilityDelay: TimeSpan.FromMinutes(10), cancellationToken: Ct);
        Assert.Empty(await queue.ReceiveAsync(cancellationToken: Ct));
        Assert.Empty(await queue.PeekAsync(cancellationToken: Ct));
        Assert.Equal(1, await queue.GetApproximateMessageCountAsync(Ct));
        await queue.ClearMessagesAsync(Ct);
        Assert.Equal(0, await queue.GetApproximateMessageCountAsync(Ct));
    }

    [Fact]
    public async Task Base64_encoding_round_trips_any_unicode_text_and_is_base64_on_the_wire()
    {
        var queue = await azurite.CreateQueueAsync("b64", cancellationToken: Ct);
        const string text = "Grüße ✓ <tag> & \u0001 control";
        await queue.SendAsync(text, cancellationToken: Ct);
        Assert.Equal(text, Assert.Single(await queue.PeekAsync(cancellationToken: Ct)).Text);

        var raw = azurite.CreateConnection(new StorageOptions { QueueMessageEncoding = QueueMessageEncoding.Raw }).Queues.GetQueue(queue.Name);
        var wire = Assert.Single(await raw.PeekAsync(cancellationToken: Ct)).Text;
        Assert.Equal(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text)), wire);
    }

    [Fact]
    public async Task Raw_encoding_sends_xml_special_characters_escaped_and_rejects_characters_xml_cannot_carry()
    {
        var connection = azurite.CreateConnection(new StorageOptions { QueueMessageEncoding = QueueMessageEncoding.Raw });
        var queue = await azurite.CreateQueueAsync("raw", connection, Ct);
        await queue.SendAsync("<a href=\"x\">&amp; 'q'</a>", cancellationToken: Ct);
        Assert.Equal("<a href=\"x\">&amp; 'q'</a>", Assert.Single(await queue.ReceiveAsync(cancellationToken: Ct)).Text);
        await Assert.ThrowsAsync<ArgumentException>(() => queue.SendAsync("bad \u0001", cancellationToken: Ct));
    }

    [Fact]
    public async Task A_raw_message_read_as_base64_is_a_clear_format_error()
    {
        var rawConnection = azurite.CreateConnection(new StorageOptions { QueueMessageEncoding = QueueMessageEncoding.Raw });
        var raw = await azurite.CreateQueueAsync("mix", rawConnection, Ct);
        await raw.SendAsync("not base64 !", cancellationToken: Ct);
        var base64 = azurite.Connection.Queues.GetQueue(raw.Name);
        var ex = await Assert.ThrowsAsync<FormatException>(() => base64.PeekAsync(cancellationToken: Ct));
        Assert.Contains("base64", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversized_messages_and_bad_arguments_are_rejected_before_sending()
    {
        var queue = azurite.Connection.Queues.GetQueue("never-created");
        await Assert.ThrowsAsync<ArgumentException>(() => queue.SendAsync(new string('x', 50_000), cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.ReceiveAsync(33, cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.ReceiveAsync(1, TimeSpan.FromDays(8), Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.SendAsync("x", TimeSpan.FromSeconds(-1), cancellationToken: Ct));
    }

    [Fact]
    public async Task Operations_on_a_missing_queue_are_404_QueueNotFound()
    {
        var queue = azurite.Connection.Queues.GetQueue(AzuriteFixture.UniqueName("absent"));
        var ex = await Assert.ThrowsAsync<StorageRequestException>(() => queue.SendAsync("x", cancellationToken: Ct));
        Assert.True(ex.IsNotFound);
        Assert.Equal("QueueNotFound", ex.ErrorCode);
        Assert.Equal("PutMessage", ex.Operation);
    }
}
