using Azure.Core;
using CloudArchive.Azure.Ingest;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Tests.Storage.Support;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Azure.Tests.Ingest;

public sealed class BlobIncomingStoreDeleteTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Delete_is_true_for_the_current_etag_and_false_when_missing_or_changed()
    {
        var container = await azurite.CreateContainerAsync("incoming", cancellationToken: Ct);
        var store = new BlobIncomingStore(azurite.Connection.Blobs);
        var current = await container.GetBlob("a.dcm").UploadAsync(TestData.Utf8("a"), cancellationToken: Ct);
        var old = await container.GetBlob("b.dcm").UploadAsync(TestData.Utf8("b1"), cancellationToken: Ct);
        await container.GetBlob("b.dcm").UploadAsync(TestData.Utf8("b2"), cancellationToken: Ct);

        Assert.True(await store.DeleteAsync(container.Name, "a.dcm", current.ETag.ToString(), Ct));
        Assert.False(await store.DeleteAsync(container.Name, "a.dcm", current.ETag.ToString(), Ct));
        Assert.False(await store.DeleteAsync(container.Name, "b.dcm", old.ETag.ToString(), Ct));
        Assert.Equal("b2", await TestData.DownloadTextAsync(container.GetBlob("b.dcm")));
    }

    [Fact]
    public async Task The_etag_lookup_matches_the_version_opened_and_is_null_for_a_missing_upload()
    {
        var container = await azurite.CreateContainerAsync("incoming", cancellationToken: Ct);
        var store = new BlobIncomingStore(azurite.Connection.Blobs);
        await container.GetBlob("a.dcm").UploadAsync(TestData.Utf8("a"), cancellationToken: Ct);

        await using (var opened = await store.OpenAsync(container.Name, "a.dcm", Ct))
        {
            Assert.NotNull(opened);
            Assert.Equal(opened.ETag, await store.GetETagAsync(container.Name, "a.dcm", Ct));
        }

        Assert.Null(await store.GetETagAsync(container.Name, "missing.dcm", Ct));
    }

    [Fact]
    public async Task Concurrent_deletes_of_many_ingests_share_batches_with_unchanged_answers()
    {
        var counter = new RequestCountingPolicy();
        var options = new StorageOptions();
        options.AddPolicy(counter, HttpPipelinePosition.PerCall);
        var connection = azurite.CreateConnection(options);
        var container = await azurite.CreateContainerAsync("incoming", connection, Ct);
        var etags = new string[64];
        await Parallel.ForAsync(0, etags.Length, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (i, ct) =>
            etags[i] = (await container.GetBlob($"up/{i}.dcm").UploadAsync(TestData.Utf8("x"), cancellationToken: ct)).ETag.ToString());
        var store = new BlobIncomingStore(connection.Blobs);
        var before = counter.Operations.Count;

        // Odd ones are asked with an ETag that never matched, as after a re-upload.
        var answers = await Task.WhenAll(Enumerable.Range(0, etags.Length).Select(i =>
            store.DeleteAsync(container.Name, $"up/{i}.dcm", i % 2 == 0 ? etags[i] : "\"0x8DEADBEEF\"", Ct)));

        Assert.Equal(Enumerable.Range(0, etags.Length).Select(i => i % 2 == 0), answers);
        var sent = counter.Operations.Skip(before).ToArray();
        Assert.True(sent.Length < etags.Length / 4, string.Join(", ", sent));
        var left = await container.ListBlobsAsync(cancellationToken: Ct).CountAsync(Ct);
        Assert.Equal(etags.Length / 2, left);
    }
}
