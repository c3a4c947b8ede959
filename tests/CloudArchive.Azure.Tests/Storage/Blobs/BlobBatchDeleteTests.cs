using Azure;
using Azure.Core;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Azure.Tests.Storage.Support;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Azure.Tests.Storage.Blobs;

public sealed class BlobBatchDeleteTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task One_batch_gives_each_delete_its_own_outcome_and_removes_only_the_matching_blobs()
    {
        var counter = new RequestCountingPolicy();
        var options = new StorageOptions();
        options.AddPolicy(counter, HttpPipelinePosition.PerCall);
        var connection = azurite.CreateConnection(options);
        var container = await azurite.CreateContainerAsync("batch", connection, Ct);

        var items = new List<BlobBatchDelete>();
        var expected = new List<BlobBatchDeleteOutcome>();
        var current = new List<string>();
        var stale = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var name = $"current/{i}.dcm";
            var written = await container.GetBlob(name).UploadAsync(TestData.Utf8("x" + i), cancellationToken: Ct);
            items.Add(new BlobBatchDelete(name, new BlobRequestConditions { IfMatch = written.ETag }, IncludeSnapshots: true));
            expected.Add(BlobBatchDeleteOutcome.Deleted);
            current.Add(name);
        }

        for (var i = 0; i < 6; i++)
        {
            // Unconditioned, so the answer is 404: with If-Match, Azurite checks the condition first and answers 412.
            items.Insert(i * 3, new BlobBatchDelete($"missing/{i}.dcm", IncludeSnapshots: true));
            expected.Insert(i * 3, BlobBatchDeleteOutcome.NotFound);
        }

        for (var i = 0; i < 6; i++)
        {
            var name = $"stale/{i}.dcm";
            var first = await container.GetBlob(name).UploadAsync(TestData.Utf8("old"), cancellationToken: Ct);
            await container.GetBlob(name).UploadAsync(TestData.Utf8("new"), cancellationToken: Ct);
            items.Insert(i * 4 + 1, new BlobBatchDelete(name, new BlobRequestConditions { IfMatch = first.ETag }, IncludeSnapshots: true));
            expected.Insert(i * 4 + 1, BlobBatchDeleteOutcome.PreconditionFailed);
            stale.Add(name);
        }

        // A blob with a snapshot goes only because x-ms-delete-snapshots: include travels in its sub-request.
        var withSnapshot = container.GetBlob("snap/base.dcm");
        var snapWritten = await withSnapshot.UploadAsync(TestData.Utf8("s"), cancellationToken: Ct);
        await withSnapshot.CreateSnapshotAsync(cancellationToken: Ct);
        items.Add(new BlobBatchDelete("snap/base.dcm", new BlobRequestConditions { IfMatch = snapWritten.ETag }, IncludeSnapshots: true));
        expected.Add(BlobBatchDeleteOutcome.Deleted);
        current.Add("snap/base.dcm");

        var before = counter.Operations.Count;
        var results = await container.DeleteBatchAsync(items, Ct);

        Assert.Equal(["POST batch"], counter.Operations.Skip(before).ToArray());
        Assert.Equal(expected, results.Select(r => r.Outcome).ToArray());
        Assert.All(results.Where(r => r.Outcome == BlobBatchDeleteOutcome.NotFound), r => Assert.Equal(404, r.Status));
        Assert.All(results.Where(r => r.Outcome == BlobBatchDeleteOutcome.PreconditionFailed), r => Assert.Equal(412, r.Status));
        Assert.All(results, r => Assert.Null(r.Error));
        foreach (var name in current)
        {
            Assert.False(await container.GetBlob(name).ExistsAsync(Ct), name);
        }

        foreach (var name in stale)
        {
            Assert.Equal("new", await TestData.DownloadTextAsync(container.GetBlob(name)));
        }

        var left = await container.ListBlobsAsync(new BlobListOptions { IncludeSnapshots = true }, Ct).Select(b => b.Name).ToListAsync(Ct);
        Assert.Equal(stale.Order(StringComparer.Ordinal), left.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Blob_names_needing_escaping_are_deleted_by_a_batch_and_their_neighbours_stay()
    {
        var container = await azurite.CreateContainerAsync("batchesc", cancellationToken: Ct);
        string[] names = ["dir one/file with spaces.dcm", "ünïcødé/画像 1.dcm", "hash#tag.dcm", "100% done+plus.dcm", "q?x=1&y=2.dcm", "%2F-not-a-slash.dcm"];
        var items = new List<BlobBatchDelete>();
        foreach (var name in names)
        {
            var written = await container.GetBlob(name).UploadAsync(TestData.Utf8(name), cancellationToken: Ct);
            items.Add(new BlobBatchDelete(name, new BlobRequestConditions { IfMatch = written.ETag }, IncludeSnapshots: true));
        }

        // Names an unescaped or double-escaped path would hit instead.
        string[] neighbours = ["dir one/file", "hash", "100", "q", "/-not-a-slash.dcm", "%252F-not-a-slash.dcm"];
        foreach (var name in neighbours)
        {
            await container.GetBlob(name).UploadAsync(TestData.Utf8(name), cancellationToken: Ct);
        }

        var results = await container.DeleteBatchAsync(items, Ct);

        Assert.All(results, r => Assert.Equal(BlobBatchDeleteOutcome.Deleted, r.Outcome));
        var left = await container.ListBlobsAsync(cancellationToken: Ct).Select(b => b.Name).ToListAsync(Ct);
        Assert.Equal(neighbours.Order(StringComparer.Ordinal), left.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_batch_over_an_account_sas_connection_authenticates_every_sub_request()
    {
        var sas = AccountSas.Create(azurite.Azurite.AccountName, azurite.Azurite.AccountKey, DateTimeOffset.UtcNow.AddHours(1));
        var connection = StorageConnection.FromConnectionString($"BlobEndpoint={azurite.Azurite.BlobServiceUri};SharedAccessSignature={sas}");
        var container = await azurite.CreateContainerAsync("batchsas", connection, Ct);
        var items = new List<BlobBatchDelete>();
        for (var i = 0; i < 3; i++)
        {
            var written = await container.GetBlob($"b{i}").UploadAsync(TestData.Utf8("x"), cancellationToken: Ct);
            items.Add(new BlobBatchDelete($"b{i}", new BlobRequestConditions { IfMatch = written.ETag }));
        }

        items.Add(new BlobBatchDelete("never-written"));
        var results = await container.DeleteBatchAsync(items, Ct);

        Assert.Equal(
            [BlobBatchDeleteOutcome.Deleted, BlobBatchDeleteOutcome.Deleted, BlobBatchDeleteOutcome.Deleted, BlobBatchDeleteOutcome.NotFound],
            results.Select(r => r.Outcome).ToArray());
        Assert.Empty(await container.ListBlobsAsync(cancellationToken: Ct).ToListAsync(Ct));
    }

    [Fact]
    public async Task A_batch_signed_with_a_wrong_key_is_a_403_that_deletes_nothing_and_leaks_no_signature()
    {
        var good = await azurite.CreateContainerAsync("batchkey", cancellationToken: Ct);
        await good.GetBlob("a").UploadAsync(TestData.Utf8("a"), cancellationToken: Ct);
        await good.GetBlob("b").UploadAsync(TestData.Utf8("b"), cancellationToken: Ct);
        const string wrongKey = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==";
        var wrong = StorageConnection.FromConnectionString(azurite.ConnectionString.Replace(azurite.Azurite.AccountKey, wrongKey, StringComparison.Ordinal), new StorageOptions { Retry = { MaxRetries = 0 } });

        var ex = await Assert.ThrowsAsync<StorageRequestException>(() => wrong.Blobs.GetContainer(good.Name).DeleteBatchAsync([new BlobBatchDelete("a"), new BlobBatchDelete("b")], Ct));

        Assert.Equal(403, ex.Status);
        Assert.DoesNotContain("SharedKey", ex.ToString(), StringComparison.Ordinal);
        Assert.True(await good.GetBlob("a").ExistsAsync(Ct));
        Assert.True(await good.GetBlob("b").ExistsAsync(Ct));
    }

    [Fact]
    public async Task More_than_256_deletes_or_an_invalid_name_are_refused_before_sending()
    {
        var container = azurite.Connection.Blobs.GetContainer(AzuriteFixture.UniqueName("batchmax"));
        var tooMany = Enumerable.Range(0, 257).Select(i => new BlobBatchDelete($"b{i}")).ToArray();
        await Assert.ThrowsAsync<ArgumentException>(() => container.DeleteBatchAsync(tooMany, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => container.DeleteBatchAsync([new BlobBatchDelete("ok"), new BlobBatchDelete(string.Empty)], Ct));
        Assert.Empty(await container.DeleteBatchAsync([], Ct));
    }
}
