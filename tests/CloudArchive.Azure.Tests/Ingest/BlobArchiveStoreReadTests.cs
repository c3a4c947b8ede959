using CloudArchive.Azure.Ingest;
using CloudArchive.Azure.Storage;
using CloudArchive.Core.Archive;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Azure.Tests.Ingest;

public sealed class BlobArchiveStoreReadTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task One_read_returns_the_whole_content_with_length_and_metadata_and_a_missing_blob_is_null()
    {
        var container = await azurite.CreateContainerAsync("ar", cancellationToken: Ct);
        IArchiveStore store = new BlobArchiveStore(container, new StorageOptions());
        var content = Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7)).ToArray();
        await store.UpsertAsync("index/a/b.json.enc", new MemoryStream(content), new Dictionary<string, string> { ["ca_plainlength"] = "99" }, Ct);

        await using (var read = await store.OpenReadWithInfoAsync("index/a/b.json.enc", Ct))
        {
            Assert.NotNull(read);
            Assert.Equal(content.Length, read.Info.Length);
            Assert.Equal("99", read.Info.Metadata["ca_plainlength"]);
            var copy = new MemoryStream();
            await read.Content.CopyToAsync(copy, Ct);
            Assert.Equal(content, copy.ToArray());
        }

        Assert.Null(await store.OpenReadWithInfoAsync("index/a/missing.json.enc", Ct));
    }
}
