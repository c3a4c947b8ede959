using CloudArchive.Functions.Tests.Research;
using CloudArchive.Research.DicomWeb;
using CloudArchive.Research.Publication;
using Xunit;

namespace CloudArchive.Functions.Tests.DicomWeb;

/// <summary>The research DICOMweb index over Azurite: built once per export manifest, stored, reused, rebuilt when stale or damaged.</summary>
[Collection(ResearchApiCollection.Name)]
public sealed class ResearchDicomIndexStoreTests(ResearchApiFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task PutCopyAsync(string agreement, string instance, string file)
    {
        await using var content = File.OpenRead(ResearchApiFixture.SamplePath(file));
        await fixture.ResearchStore.PutAsync(ResearchNames.Instance(agreement, "2.25.7001", "2.25.7101", instance), content, "application/dicom", null, Ct);
    }

    private async Task PutManifestAsync(string agreement, string text)
    {
        using var content = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));
        await fixture.ResearchStore.PutAsync(ResearchNames.Manifest(agreement), content, "application/json", null, Ct);
    }

    [Fact]
    public async Task The_index_follows_the_manifest_and_holds_the_copies_attributes()
    {
        var agreement = "index-" + Guid.NewGuid().ToString("N")[..8];
        await PutCopyAsync(agreement, "2.25.7201", "CT_small.dcm");
        await PutManifestAsync(agreement, "{\"run\":1}");
        var store = new ResearchDicomIndexStore(fixture.ResearchStore);

        var first = await store.GetAsync(agreement, Ct);
        var entry = Assert.Single(first.Entries);
        Assert.Equal(("2.25.7001", "2.25.7101", "2.25.7201"), (entry.StudyUid, entry.SeriesUid, entry.InstanceUid));
        Assert.Equal(["CT"], entry.Values["00080060"]);
        Assert.Equal("1.2.840.10008.1.2.1", entry.TransferSyntax);
        Assert.NotNull(await fixture.ResearchStore.OpenReadAsync(ResearchDicomIndexStore.IndexName(agreement), Ct));

        // A copy written without a new manifest is not seen (no listing per query) ...
        await PutCopyAsync(agreement, "2.25.7202", "MR_small.dcm");
        Assert.Single((await store.GetAsync(agreement, Ct)).Entries);

        // ... the next export's manifest makes the next query rebuild, and a fresh instance reads the stored index.
        await PutManifestAsync(agreement, "{\"run\":2}");
        Assert.Equal(2, (await store.GetAsync(agreement, Ct)).Entries.Count);
        var fresh = await new ResearchDicomIndexStore(fixture.ResearchStore).GetAsync(agreement, Ct);
        Assert.Equal(["2.25.7201", "2.25.7202"], fresh.Entries.Select(e => e.InstanceUid));
    }

    [Fact]
    public async Task A_damaged_index_blob_is_rebuilt_and_no_manifest_still_indexes_what_is_there()
    {
        var agreement = "index-" + Guid.NewGuid().ToString("N")[..8];
        await PutCopyAsync(agreement, "2.25.7203", "JPEG2000.dcm");
        using (var junk = new MemoryStream("{not json"u8.ToArray()))
        {
            await fixture.ResearchStore.PutAsync(ResearchDicomIndexStore.IndexName(agreement), junk, "application/json", null, Ct);
        }

        var index = await new ResearchDicomIndexStore(fixture.ResearchStore).GetAsync(agreement, Ct);

        Assert.Equal("no-manifest", index.Stamp);
        Assert.Equal("1.2.840.10008.1.2.4.91", Assert.Single(index.Entries).TransferSyntax);
        await using var stored = await fixture.ResearchStore.OpenReadAsync(ResearchDicomIndexStore.IndexName(agreement), Ct);
        using var copy = new MemoryStream();
        await stored!.Content.CopyToAsync(copy, Ct);
        Assert.NotNull(ResearchDicomIndex.TryParse(copy.ToArray()));
        Assert.Null(ResearchDicomIndex.TryParse("{\"schema\":\"other\"}"u8.ToArray()));
    }

    [Fact]
    public async Task A_copy_withdrawn_after_indexing_is_404_and_never_served()
    {
        var agreement = "index-" + Guid.NewGuid().ToString("N")[..8];
        await PutCopyAsync(agreement, "2.25.7204", "MR_small.dcm");
        var service = new ResearchDicomWebService(fixture.ResearchStore, new ResearchDicomIndexStore(fixture.ResearchStore));
        var entry = Assert.Single(await service.FindAsync(agreement, "2.25.7001", null, null, Ct));
        await fixture.ResearchStore.DeleteAsync(ResearchNames.Instance(agreement, "2.25.7001", "2.25.7101", "2.25.7204"), Ct);

        Assert.Null(await service.OpenAsync(agreement, entry, Ct));
        Assert.Null(await service.ReadAsync(agreement, entry, Ct));
        Assert.Empty(await service.FindAsync(agreement, "2.25.7002", null, null, Ct));
    }
}
