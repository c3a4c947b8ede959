using Xunit;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Azure.Tests.Storage.Support;
using CloudArchive.Testing.Azurite;

namespace CloudArchive.Azure.Tests.Storage.Blobs;

public sealed class BlobListTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Listing_with_a_small_page_size_walks_several_pages_and_returns_every_blob_once()
    {
        var container = await azurite.CreateContainerAsync("paging", cancellationToken: Ct);
        var names = Enumerable.Range(0, 11).Select(i => $"studies/s{i:D2}.bin").ToList();
        foreach (var name in names)
        {
            await container.GetBlob(name).UploadAsync(TestData.Utf8(name), cancellationToken: Ct);
        }

        await container.GetBlob("other/x.bin").UploadAsync(TestData.Utf8("x"), cancellationToken: Ct);

        var pages = await container.ListBlobPagesAsync(new BlobListOptions { Prefix = "studies/", PageSize = 4 }, cancellationToken: Ct).ToListAsync(Ct);
        Assert.Equal(3, pages.Count);
        Assert.Equal([4, 4, 3], pages.Select(p => p.Items.Count));
        Assert.NotNull(pages[0].ContinuationToken);
        Assert.NotNull(pages[1].ContinuationToken);
        Assert.Null(pages[2].ContinuationToken);
        Assert.Equal(names, pages.SelectMany(p => p.Items).Select(i => i.Name));

        var all = await container.ListBlobsAsync(new BlobListOptions { PageSize = 5 }, Ct).ToListAsync(Ct);
        Assert.Equal(12, all.Count);
    }

    [Fact]
    public async Task A_page_can_be_resumed_from_its_continuation_token()
    {
        var container = await azurite.CreateContainerAsync("resume", cancellationToken: Ct);
        for (var i = 0; i < 5; i++)
        {
            await container.GetBlob($"b{i}").UploadAsync(TestData.Utf8("x"), cancellationToken: Ct);
        }

        var first = await container.GetBlobPageAsync(new BlobListOptions { PageSize = 2 }, null, Ct);
        Assert.Equal(["b0", "b1"], first.Items.Select(i => i.Name));
        var rest = await container.ListBlobPagesAsync(new BlobListOptions { PageSize = 2 }, first.ContinuationToken, Ct).ToListAsync(Ct);
        Assert.Equal(["b2", "b3", "b4"], rest.SelectMany(p => p.Items).Select(i => i.Name));
    }

    [Fact]
    public async Task Listing_includes_properties_metadata_and_tags_when_asked()
    {
        var container = await azurite.CreateContainerAsync("include", cancellationToken: Ct);
        var written = await container.GetBlob("a.json").UploadAsync(TestData.Utf8("{}"), new BlobUploadOptions
        {
            ContentType = "application/json",
            Metadata = new Dictionary<string, string> { ["kind"] = "manifest" },
            Tags = new Dictionary<string, string> { ["ca_study"] = "ABC123", ["ca_hold"] = "0" },
        }, Ct);

        var plain = Assert.Single(await container.ListBlobsAsync(cancellationToken: Ct).ToListAsync(Ct));
        Assert.Empty(plain.Metadata);
        Assert.Empty(plain.Tags);

        var item = Assert.Single(await container.ListBlobsAsync(new BlobListOptions { IncludeMetadata = true, IncludeTags = true }, Ct).ToListAsync(Ct));
        Assert.Equal("a.json", item.Name);
        Assert.Equal(2, item.ContentLength);
        Assert.Equal("application/json", item.ContentType);
        Assert.Equal(written.ETag, item.ETag);
        Assert.Equal(BlobType.Block, item.BlobType);
        Assert.Equal("manifest", item.Metadata["kind"]);
        Assert.Equal("ABC123", item.Tags["ca_study"]);
        Assert.Equal("0", item.Tags["ca_hold"]);
    }

    [Fact]
    public async Task Listing_with_a_delimiter_returns_virtual_directories_as_prefixes()
    {
        var container = await azurite.CreateContainerAsync("delim", cancellationToken: Ct);
        foreach (var name in new[] { "log/2026/a", "log/2027/b", "seals/s", "root.txt" })
        {
            await container.GetBlob(name).UploadAsync(TestData.Utf8("x"), cancellationToken: Ct);
        }

        var top = await container.ListBlobsAsync(new BlobListOptions { Delimiter = "/" }, Ct).ToListAsync(Ct);
        Assert.Equal(["log/", "root.txt", "seals/"], top.Select(i => i.Name).Order(StringComparer.Ordinal));
        Assert.True(top.Single(i => i.Name == "log/").IsPrefix);
        Assert.False(top.Single(i => i.Name == "root.txt").IsPrefix);
    }

    [Fact]
    public async Task Listing_an_empty_container_yields_one_empty_page()
    {
        var container = await azurite.CreateContainerAsync("empty", cancellationToken: Ct);
        var pages = await container.ListBlobPagesAsync(cancellationToken: Ct).ToListAsync(Ct);
        var page = Assert.Single(pages);
        Assert.Empty(page.Items);
        Assert.Null(page.ContinuationToken);
    }
}
