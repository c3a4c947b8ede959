using CloudArchive.Azure.Ingest;
using CloudArchive.Azure.Tests.Storage.Support;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Azure.Tests.Ingest;

public sealed class BlobIncomingStoreDeleteTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private BlobIncomingStore NewStore() => new(azurite.Connection.Blobs, azurite.Connection.Options);

    [Fact]
    public async Task Delete_is_true_for_the_current_etag_and_false_when_missing_or_changed()
    {
        var container = await azurite.CreateContainerAsync("incoming", cancellationToken: Ct);
        var store = NewStore();
        var current = await TestData.PutTextAsync(container.GetBlobClient("a.dcm"), "a");
        var old = await TestData.PutTextAsync(container.GetBlobClient("b.dcm"), "b1");
        await TestData.PutTextAsync(container.GetBlobClient("b.dcm"), "b2");

        Assert.True(await store.DeleteAsync(container.Name, "a.dcm", current.ToString(), Ct));
        Assert.False(await store.DeleteAsync(container.Name, "a.dcm", current.ToString(), Ct));
        Assert.False(await store.DeleteAsync(container.Name, "b.dcm", old.ToString(), Ct));
        Assert.Equal("b2", await TestData.DownloadTextAsync(container.GetBlobClient("b.dcm")));
    }

    [Fact]
    public async Task The_etag_lookup_matches_the_version_opened_and_is_null_for_a_missing_upload()
    {
        var container = await azurite.CreateContainerAsync("incoming", cancellationToken: Ct);
        var store = NewStore();
        await TestData.PutTextAsync(container.GetBlobClient("a.dcm"), "a");

        await using (var opened = await store.OpenAsync(container.Name, "a.dcm", Ct))
        {
            Assert.NotNull(opened);
            Assert.Equal(opened.ETag, await store.GetETagAsync(container.Name, "a.dcm", Ct));
        }

        Assert.Null(await store.GetETagAsync(container.Name, "missing.dcm", Ct));
        Assert.Null(await store.OpenAsync(container.Name, "missing.dcm", Ct));
    }

    [Fact]
    public async Task Concurrent_conditional_deletes_remove_only_the_versions_they_name()
    {
        // Blob Batch is gone: concurrent ingests now send one conditional DELETE each, in parallel. Each answer must
        // still be about its own upload: a replaced upload survives (its new version has its own event), a missing one
        // is no error.
        var container = await azurite.CreateContainerAsync("incoming", cancellationToken: Ct);
        var store = NewStore();
        const int uploads = 24;
        var etags = new string[uploads];
        await Parallel.ForAsync(0, uploads, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (i, _) =>
        {
            etags[i] = (await TestData.PutTextAsync(container.GetBlobClient($"up/{i}.dcm"), "first")).ToString();
            if (i % 2 == 1)
            {
                await TestData.PutTextAsync(container.GetBlobClient($"up/{i}.dcm"), "replaced");
            }
        });

        var answers = await Task.WhenAll(Enumerable.Range(0, uploads).Select(i => store.DeleteAsync(container.Name, $"up/{i}.dcm", etags[i], Ct)));
        var missing = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => store.DeleteAsync(container.Name, $"never/{i}.dcm", etags[0], Ct)));

        Assert.Equal(Enumerable.Range(0, uploads).Select(i => i % 2 == 0), answers);
        Assert.All(missing, Assert.False);
        var left = new List<string>();
        await foreach (var item in container.GetBlobsAsync(cancellationToken: Ct))
        {
            left.Add(item.Name);
            Assert.Equal("replaced", await TestData.DownloadTextAsync(container.GetBlobClient(item.Name)));
        }

        Assert.Equal(Enumerable.Range(0, uploads).Where(i => i % 2 == 1).Select(i => $"up/{i}.dcm").Order(StringComparer.Ordinal), left.Order(StringComparer.Ordinal));
    }
}
