using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using CloudArchive.Azure.Research;
using CloudArchive.Research.Agreements;
using CloudArchive.Research.Publication;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CloudArchive.Functions.Tests.Research;

/// <summary>Large instances through both download paths, and a study archive whose content changes while it is written.</summary>
[Collection(ResearchApiCollection.Name)]
public sealed class ResearchApiStreamingTests(ResearchApiFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_24_MiB_instance_arrives_intact_alone_and_inside_the_study_archive()
    {
        const string agreement = "large-files";
        // Its own recipient group: the fixture is shared, and other tests count the agreements RecipientGroup sees.
        var group = Guid.NewGuid().ToString("D");
        var agreements = new BlobAgreementStore(fixture.Connection.Blobs.GetBlobContainerClient(fixture.ControlContainer));
        await agreements.TryCreateAsync(new DataSharingAgreement
        {
            Id = agreement,
            PurposeOfUse = "HRESCH",
            Recipients = [group],
            ValidFrom = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
            ValidUntil = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero),
            CopyRetention = "P1Y",
            CreatedAt = new DateTimeOffset(2025, 12, 1, 0, 0, 0, TimeSpan.Zero),
            CreatedBy = "privacy-officer@example.org",
            ConsentRequired = false,
        }, Ct);
        var content = new MemoryStream();
        content.Write(new byte[128]);
        content.Write("DICM"u8);
        await new Testing.GeneratedStream(24L * 1024 * 1024, seed: 7).CopyToAsync(content, Ct);
        var expected = SHA256.HashData(content.ToArray());
        content.Position = 0;
        await fixture.ResearchStore.PutAsync(ResearchNames.Instance(agreement, "2.25.61", "2.25.62", "2.25.63"), content, "application/dicom", null, Ct);
        var me = Guid.NewGuid().ToString("D");

        using (var single = await fixture.Client.SendAsync(ResearchApiFixture.Get($"/api/research/agreements/{agreement}/studies/2.25.61/series/2.25.62/instances/2.25.63", me, group), HttpCompletionOption.ResponseHeadersRead, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, single.StatusCode);
            Assert.Equal(content.Length, single.Content.Headers.ContentLength);
            await using var stream = await single.Content.ReadAsStreamAsync(Ct);
            Assert.Equal(expected, await SHA256.HashDataAsync(stream, Ct));
        }

        using var archive = await fixture.Client.SendAsync(ResearchApiFixture.Get($"/api/research/agreements/{agreement}/studies/2.25.61/archive.zip", me, group), HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, archive.StatusCode);
        var zipFile = Path.Combine(Path.GetTempPath(), "ca-zip-" + Guid.NewGuid().ToString("N") + ".zip");
        try
        {
            await using (var file = File.Create(zipFile))
            {
                await (await archive.Content.ReadAsStreamAsync(Ct)).CopyToAsync(file, Ct);
            }

            using var zip = ZipFile.OpenRead(zipFile);
            var entry = Assert.Single(zip.Entries);
            Assert.Equal("2.25.62/2.25.63.dcm", entry.FullName);
            await using var entryStream = await entry.OpenAsync(Ct);
            Assert.Equal(expected, await SHA256.HashDataAsync(entryStream, Ct));
        }
        finally
        {
            File.Delete(zipFile);
        }
    }

    [Fact]
    public async Task An_instance_removed_while_the_archive_is_written_is_left_out_and_the_rest_is_complete()
    {
        var vanishing = ResearchNames.Instance(ResearchApiFixture.Agreement, "2.25.1001", "2.25.2001", "2.25.3002");
        var app = await fixture.StartAppAsync(6000, 1000, services =>
            services.AddSingleton<IResearchStore>(new VanishingResearchStore(fixture.ResearchStore, vanishing)));
        await using var _ = app;
        using var client = ResearchApiFixture.CreateClient(app);

        using var response = await client.SendAsync(ResearchApiFixture.AsRecipient($"/api/research/agreements/{ResearchApiFixture.Agreement}/studies/2.25.1001/archive.zip", Guid.NewGuid().ToString("D")), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync(Ct)), ZipArchiveMode.Read);
        Assert.Equal(["2.25.2001/2.25.3001.dcm", "2.25.2002/2.25.3003.dcm"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_study_archive_failing_mid_transfer_ends_in_a_broken_connection_not_a_complete_looking_zip()
    {
        var breaking = ResearchNames.Instance(ResearchApiFixture.Agreement, "2.25.1001", "2.25.2001", "2.25.3002");
        var app = await fixture.StartAppAsync(6000, 1000, services =>
            services.AddSingleton<IResearchStore>(new BreakingResearchStore(fixture.ResearchStore, breaking, breakAfter: 500)));
        await using var _ = app;
        using var client = ResearchApiFixture.CreateClient(app);

        // The reset may reach the client before or after the response headers (a race between the first flush and the
        // abort); either way the client must see a failed transfer, never a complete-looking 200 body.
        await Assert.ThrowsAnyAsync<HttpRequestException>(async () =>
        {
            using var response = await client.SendAsync(ResearchApiFixture.AsRecipient($"/api/research/agreements/{ResearchApiFixture.Agreement}/studies/2.25.1001/archive.zip", Guid.NewGuid().ToString("D")), HttpCompletionOption.ResponseHeadersRead, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await response.Content.ReadAsByteArrayAsync(Ct);
        });
    }
}
