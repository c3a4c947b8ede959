using System.Text;
using Azure.Storage.Blobs;
using CloudArchive.Azure.Research;
using CloudArchive.Research.Agreements;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Azure.Tests.Research;

public sealed class BlobAgreementStoreTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(BlobAgreementStore Store, BlobContainerClient Container)> NewStoreAsync()
    {
        var container = await azurite.CreateContainerAsync("control", cancellationToken: Ct);
        return (new BlobAgreementStore(container), container);
    }

    [Fact]
    public async Task Create_is_create_only_and_get_round_trips_the_agreement()
    {
        var (store, _) = await NewStoreAsync();
        var agreement = ResearchTestData.Agreement("lung-2026");
        Assert.Null(await store.GetAsync("lung-2026", Ct));
        Assert.True(await store.TryCreateAsync(agreement, Ct));
        Assert.False(await store.TryCreateAsync(agreement with { Title = "other" }, Ct));

        var stored = await store.GetAsync("lung-2026", Ct);
        Assert.NotNull(stored);
        Assert.False(string.IsNullOrEmpty(stored.ETag));
        Assert.Equal("Lung nodule study", stored.Agreement.Title);
        Assert.Equal(agreement.Recipients, stored.Agreement.Recipients);
        Assert.Equal(agreement.Selection.Modalities, stored.Agreement.Selection.Modalities);
        Assert.Equal(agreement.ValidUntil, stored.Agreement.ValidUntil);
        Assert.Equal(AgreementStatus.Active, stored.Agreement.Status);
    }

    [Fact]
    public async Task Replace_succeeds_only_at_the_current_etag()
    {
        var (store, _) = await NewStoreAsync();
        var agreement = ResearchTestData.Agreement("etag-test");
        await store.TryCreateAsync(agreement, Ct);
        var first = (await store.GetAsync("etag-test", Ct))!;
        var closed = agreement with { Status = AgreementStatus.Closed, ClosedAt = agreement.CreatedAt.AddDays(1), ClosedBy = "admin", CloseReason = "done" };
        Assert.True(await store.TryReplaceAsync(closed, first.ETag, Ct));
        Assert.False(await store.TryReplaceAsync(agreement with { Title = "stale" }, first.ETag, Ct));
        Assert.False(await store.TryReplaceAsync(ResearchTestData.Agreement("never-created"), first.ETag, Ct));
        var current = (await store.GetAsync("etag-test", Ct))!;
        Assert.Equal(AgreementStatus.Closed, current.Agreement.Status);
        Assert.Equal("done", current.Agreement.CloseReason);
        Assert.NotEqual(first.ETag, current.ETag);
    }

    [Fact]
    public async Task List_returns_agreements_ordered_by_id_and_ignores_other_blobs()
    {
        var (store, container) = await NewStoreAsync();
        foreach (var id in new[] { "ccc", "aaa", "bbb" })
        {
            Assert.True(await store.TryCreateAsync(ResearchTestData.Agreement(id), Ct));
        }

        await Upload(container, "consents/" + ResearchTestData.Pseudonym('a') + ".json", "{}");
        await Upload(container, "agreements/readme.txt", "not an agreement");
        var ids = new List<string>();
        await foreach (var stored in store.ListAsync(Ct))
        {
            ids.Add(stored.Agreement.Id);
        }

        Assert.Equal(["aaa", "bbb", "ccc"], ids);
    }

    [Fact]
    public async Task Invalid_agreement_is_refused_and_nothing_is_written()
    {
        var (store, container) = await NewStoreAsync();
        var bad = ResearchTestData.Agreement("bad-one") with { Recipients = ["not-a-guid"] };
        var ex = await Assert.ThrowsAsync<AgreementFormatException>(() => store.TryCreateAsync(bad, Ct));
        Assert.Equal("$.recipients[0]", ex.Location);
        Assert.False((await container.GetBlobClient("agreements/bad-one.json").ExistsAsync(Ct)).Value);
    }

    [Fact]
    public async Task Malformed_stored_document_surfaces_as_format_exception()
    {
        var (store, container) = await NewStoreAsync();
        await Upload(container, "agreements/broken.json", "{\"schema\":\"cloudarchive/agreement/v1\",\"id\":\"broken\",\"extra\":1}");
        var ex = await Assert.ThrowsAsync<AgreementFormatException>(() => store.GetAsync("broken", Ct));
        Assert.Equal("$.extra", ex.Location);
    }

    [Fact]
    public async Task Document_stored_under_another_id_is_refused()
    {
        var (store, container) = await NewStoreAsync();
        await store.TryCreateAsync(ResearchTestData.Agreement("original"), Ct);
        var original = (await container.GetBlobClient("agreements/original.json").DownloadContentAsync(Ct)).Value.Content;
        await container.GetBlobClient("agreements/impostor.json").UploadAsync(original, Ct);

        var ex = await Assert.ThrowsAsync<AgreementFormatException>(() => store.GetAsync("impostor", Ct));
        Assert.Equal("$.id", ex.Location);
    }

    [Fact]
    public async Task Ill_formed_id_names_no_agreement()
    {
        var (store, _) = await NewStoreAsync();
        Assert.Null(await store.GetAsync("../keyring/index-key", Ct));
        Assert.Null(await store.GetAsync("UPPER", Ct));
    }

    private static async Task Upload(BlobContainerClient container, string name, string text)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        await container.GetBlobClient(name).UploadAsync(stream, overwrite: true, Ct);
    }
}
