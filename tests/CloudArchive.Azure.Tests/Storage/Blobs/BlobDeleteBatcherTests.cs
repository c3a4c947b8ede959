using System.Net;
using System.Net.Sockets;
using System.Text;
using Azure;
using Azure.Core;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Azure.Tests.Storage.Support;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Azure.Tests.Storage.Blobs;

public sealed class BlobDeleteBatcherTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Three_hundred_concurrent_deletes_each_get_their_own_outcome_from_three_requests()
    {
        var container = await azurite.CreateContainerAsync("batcher", cancellationToken: Ct);
        var items = new BlobBatchDelete[300];
        var expected = new BlobBatchDeleteOutcome[300];
        await Parallel.ForAsync(0, 300, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = Ct }, async (i, ct) =>
        {
            var name = $"up/{i:D3} é #.dcm";
            switch (i % 6)
            {
                case 0: // missing
                    items[i] = new BlobBatchDelete(name, IncludeSnapshots: true);
                    expected[i] = BlobBatchDeleteOutcome.NotFound;
                    break;
                case 1: // re-uploaded since its ETag was read
                    var old = await container.GetBlob(name).UploadAsync(TestData.Utf8("old"), cancellationToken: ct);
                    await container.GetBlob(name).UploadAsync(TestData.Utf8("new"), cancellationToken: ct);
                    items[i] = new BlobBatchDelete(name, new BlobRequestConditions { IfMatch = old.ETag }, IncludeSnapshots: true);
                    expected[i] = BlobBatchDeleteOutcome.PreconditionFailed;
                    break;
                default:
                    var written = await container.GetBlob(name).UploadAsync(TestData.Utf8("x"), cancellationToken: ct);
                    items[i] = new BlobBatchDelete(name, new BlobRequestConditions { IfMatch = written.ETag }, IncludeSnapshots: true);
                    expected[i] = BlobBatchDeleteOutcome.Deleted;
                    break;
            }
        });

        var (deleteConnection, deleteCounter, deleteGate) = Connect();
        var batcher = new BlobDeleteBatcher(deleteConnection.Blobs);
        var calls = items.Select(item => batcher.DeleteAsync(container.Name, item, Ct)).ToArray();
        await deleteGate.Entered.WaitAsync(Ct);
        deleteGate.Release();
        var results = await Task.WhenAll(calls);

        Assert.Equal(expected, results.Select(r => r.Outcome).ToArray());

        // The first call went alone at once; the 299 that arrived meanwhile went as 256 + 43.
        Assert.Equal(["DELETE", "POST batch", "POST batch"], deleteCounter.Operations.ToArray());
        var left = await container.ListBlobsAsync(cancellationToken: Ct).Select(b => b.Name).ToListAsync(Ct);
        Assert.Equal(items.Where((_, i) => i % 6 == 1).Select(d => d.BlobName).Order(StringComparer.Ordinal), left.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_lone_delete_is_sent_at_once_as_a_plain_delete_blob()
    {
        var counter = new RequestCountingPolicy();
        var options = new StorageOptions();
        options.AddPolicy(counter, HttpPipelinePosition.PerCall);
        var connection = azurite.CreateConnection(options);
        var container = await azurite.CreateContainerAsync("lone", connection, Ct);
        var written = await container.GetBlob("only.dcm").UploadAsync(TestData.Utf8("x"), cancellationToken: Ct);
        var batcher = new BlobDeleteBatcher(connection.Blobs);
        var before = counter.Operations.Count;

        var first = await batcher.DeleteAsync(container.Name, new BlobBatchDelete("only.dcm", new BlobRequestConditions { IfMatch = written.ETag }), Ct);
        var second = await batcher.DeleteAsync(container.Name, new BlobBatchDelete("only.dcm"), Ct);

        Assert.Equal(BlobBatchDeleteOutcome.Deleted, first.Outcome);
        Assert.Equal(BlobBatchDeleteOutcome.NotFound, second.Outcome);
        Assert.Equal(["DELETE", "DELETE"], counter.Operations.Skip(before).ToArray());
    }

    [Fact]
    public async Task A_caller_cancelled_while_queued_is_removed_and_one_already_sent_still_gets_its_outcome()
    {
        var container = await azurite.CreateContainerAsync("cancel", cancellationToken: Ct);
        foreach (var name in new[] { "sent", "queued-cancelled", "queued" })
        {
            await container.GetBlob(name).UploadAsync(TestData.Utf8(name), cancellationToken: Ct);
        }

        var (deleteConnection, deleteCounter, deleteGate) = Connect();
        var batcher = new BlobDeleteBatcher(deleteConnection.Blobs);
        using var sentCts = new CancellationTokenSource();
        using var queuedCts = new CancellationTokenSource();
        var sent = batcher.DeleteAsync(container.Name, new BlobBatchDelete("sent"), sentCts.Token);
        await deleteGate.Entered.WaitAsync(Ct);
        var cancelled = batcher.DeleteAsync(container.Name, new BlobBatchDelete("queued-cancelled"), queuedCts.Token);
        var queued = batcher.DeleteAsync(container.Name, new BlobBatchDelete("queued"), Ct);

        queuedCts.Cancel();
        sentCts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled); // while the first is still held
        Assert.False(sent.IsCompleted);
        deleteGate.Release();

        Assert.Equal(BlobBatchDeleteOutcome.Deleted, (await sent).Outcome);
        Assert.Equal(BlobBatchDeleteOutcome.Deleted, (await queued).Outcome);
        Assert.True(await container.GetBlob("queued-cancelled").ExistsAsync(Ct));
        Assert.Equal(["DELETE", "DELETE"], deleteCounter.Operations.ToArray());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => batcher.DeleteAsync(container.Name, new BlobBatchDelete("queued-cancelled"), queuedCts.Token));
    }

    [Fact]
    public async Task When_storage_is_unreachable_every_caller_gets_the_failure()
    {
        var port = ClosedPort();
        var gate = new RequestGatePolicy();
        var options = new StorageOptions { Retry = { MaxRetries = 0 } };
        options.AddPolicy(gate, HttpPipelinePosition.PerCall);
        var connection = StorageConnection.FromConnectionString(
            $"AccountName={StorageApi.DevelopmentAccountName};AccountKey={StorageApi.DevelopmentAccountKey};BlobEndpoint=http://127.0.0.1:{port}/{StorageApi.DevelopmentAccountName}",
            options);
        var batcher = new BlobDeleteBatcher(connection.Blobs);

        var first = batcher.DeleteAsync("incoming", new BlobBatchDelete("a"), Ct);
        await gate.Entered.WaitAsync(Ct);
        var queued = Enumerable.Range(0, 5).Select(i => batcher.DeleteAsync("incoming", new BlobBatchDelete($"b{i}"), Ct)).ToArray();
        gate.Release();

        await Assert.ThrowsAsync<RequestFailedException>(() => first);
        foreach (var call in queued)
        {
            var ex = await Assert.ThrowsAsync<RequestFailedException>(() => call);
            Assert.Same(await Assert.ThrowsAsync<RequestFailedException>(() => queued[0]), ex); // one failure, shared by the batch
        }

        // The lane is free again afterwards: a later call is sent (and fails) instead of hanging.
        await Assert.ThrowsAsync<RequestFailedException>(() => batcher.DeleteAsync("incoming", new BlobBatchDelete("c"), Ct));
    }

    [Fact]
    public async Task A_batch_refused_as_a_whole_fails_each_of_its_callers_and_spares_the_lone_one()
    {
        var transport = new RecordingTransport(r => r.Method == "POST"
            ? new StubResponse(503, Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><Error><Code>ServerBusy</Code><Message>Busy.</Message></Error>"), ("x-ms-error-code", "ServerBusy"))
            : new StubResponse(202));
        var gate = new RequestGatePolicy();
        var options = new StorageOptions { Transport = transport, Retry = { MaxRetries = 0 } };
        options.AddPolicy(gate, HttpPipelinePosition.PerCall);
        var connection = StorageConnection.FromConnectionString($"AccountName=acct;AccountKey={StorageApi.DevelopmentAccountKey};BlobEndpoint=https://acct.blob.core.windows.net", options);
        var batcher = new BlobDeleteBatcher(connection.Blobs);

        var lone = batcher.DeleteAsync("incoming", new BlobBatchDelete("a"), Ct);
        await gate.Entered.WaitAsync(Ct);
        var batched = Enumerable.Range(0, 3).Select(i => batcher.DeleteAsync("incoming", new BlobBatchDelete($"b{i}"), Ct)).ToArray();
        gate.Release();

        Assert.Equal(BlobBatchDeleteOutcome.Deleted, (await lone).Outcome);
        foreach (var call in batched)
        {
            var ex = await Assert.ThrowsAsync<StorageRequestException>(() => call);
            Assert.Equal(503, ex.Status);
            Assert.Equal("ServerBusy", ex.ErrorCode);
        }

        Assert.Equal(["DELETE", "POST"], transport.Requests.Select(r => r.Method).ToArray());
    }

    [Fact]
    public async Task Containers_are_batched_separately()
    {
        var one = await azurite.CreateContainerAsync("lane-a", cancellationToken: Ct);
        var two = await azurite.CreateContainerAsync("lane-b", cancellationToken: Ct);
        foreach (var container in new[] { one, two })
        {
            for (var i = 0; i < 3; i++)
            {
                await container.GetBlob($"b{i}").UploadAsync(TestData.Utf8("x"), cancellationToken: Ct);
            }
        }

        var (deleteConnection, _, deleteGate) = Connect();
        var batcher = new BlobDeleteBatcher(deleteConnection.Blobs);
        var held = batcher.DeleteAsync(one.Name, new BlobBatchDelete("b0"), Ct);
        await deleteGate.Entered.WaitAsync(Ct);

        // The other container's lane is idle, so its first delete does not wait for the held one.
        Assert.Equal(BlobBatchDeleteOutcome.Deleted, (await batcher.DeleteAsync(two.Name, new BlobBatchDelete("b0"), Ct)).Outcome);
        var rest = new[] { one, two }.SelectMany(c => new[] { "b1", "b2" }.Select(n => batcher.DeleteAsync(c.Name, new BlobBatchDelete(n), Ct))).ToArray();
        deleteGate.Release();

        Assert.Equal(BlobBatchDeleteOutcome.Deleted, (await held).Outcome);
        Assert.All(await Task.WhenAll(rest), r => Assert.Equal(BlobBatchDeleteOutcome.Deleted, r.Outcome));
        Assert.Empty(await one.ListBlobsAsync(cancellationToken: Ct).ToListAsync(Ct));
        Assert.Empty(await two.ListBlobsAsync(cancellationToken: Ct).ToListAsync(Ct));
    }

    [Fact]
    public async Task An_item_that_could_never_be_sent_fails_only_its_own_caller()
    {
        var container = await azurite.CreateContainerAsync("invalid", cancellationToken: Ct);
        await container.GetBlob("ok").UploadAsync(TestData.Utf8("x"), cancellationToken: Ct);
        var (connection, _, gate) = Connect();
        var batcher = new BlobDeleteBatcher(connection.Blobs);

        var held = batcher.DeleteAsync(container.Name, new BlobBatchDelete("held"), Ct);
        await gate.Entered.WaitAsync(Ct);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => batcher.DeleteAsync(container.Name, new BlobBatchDelete(string.Empty), Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => batcher.DeleteAsync(container.Name, new BlobBatchDelete("x", new BlobRequestConditions { IfMatch = new ETag("\"e\"\r\nx-ms-evil: 1") }), Ct));
        var ok = batcher.DeleteAsync(container.Name, new BlobBatchDelete("ok"), Ct);
        gate.Release();

        Assert.Equal(BlobBatchDeleteOutcome.NotFound, (await held).Outcome);
        Assert.Equal(BlobBatchDeleteOutcome.Deleted, (await ok).Outcome);
    }

    private (StorageConnection Connection, RequestCountingPolicy Counter, RequestGatePolicy Gate) Connect()
    {
        var counter = new RequestCountingPolicy();
        var gate = new RequestGatePolicy();
        var options = new StorageOptions();
        options.AddPolicy(gate, HttpPipelinePosition.PerCall);
        options.AddPolicy(counter, HttpPipelinePosition.PerCall);
        return (azurite.CreateConnection(options), counter, gate);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
