using System.Net;
using System.Text.Json;
using CloudArchive.Azure.Composition;
using CloudArchive.Azure.Research;
using CloudArchive.Functions.LocalHost;
using CloudArchive.Functions.Tests.Export;
using CloudArchive.Research.Agreements;
using CloudArchive.Research.Publication;
using CloudArchive.Testing.Azurite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Xunit;

namespace CloudArchive.Functions.Tests.Research;

/// <summary>The researcher API composed exactly as the local host composes the app: configuration only, no replacements.</summary>
[Collection(ResearchApiCollection.Name)]
public sealed class ResearchApiCompositionTests(ResearchApiFixture fixture)
{
    [Fact]
    public async Task Production_composition_serves_listings_and_fetches_and_audits_into_the_configured_audit_container()
    {
        var ct = TestContext.Current.CancellationToken;
        var keyDirectory = TestArchiveSettings.NewKeyDirectory();
        var control = AzuriteFixture.UniqueName("control");
        var research = AzuriteFixture.UniqueName("research");
        var audit = AzuriteFixture.UniqueName("audit");
        var blobs = fixture.Connection.Blobs;
        await blobs.GetBlobContainerClient(control).CreateIfNotExistsAsync(cancellationToken: ct);
        await blobs.GetBlobContainerClient(research).CreateIfNotExistsAsync(cancellationToken: ct);
        var agreement = new DataSharingAgreement
        {
            Id = "composed-study",
            PurposeOfUse = "HRESCH",
            Recipients = [ResearchApiFixture.RecipientGroup],
            ValidFrom = DateTimeOffset.UtcNow.AddDays(-1),
            ValidUntil = DateTimeOffset.UtcNow.AddDays(30),
            CopyRetention = "P1Y",
            CreatedAt = DateTimeOffset.UtcNow.AddDays(-2),
            CreatedBy = "privacy-officer@example.org",
            ConsentRequired = false,
        };
        Assert.True(await new BlobAgreementStore(blobs.GetBlobContainerClient(control)).TryCreateAsync(agreement, ct));
        await using (var sample = File.OpenRead(ResearchApiFixture.SamplePath("MR_small.dcm")))
        {
            await new BlobResearchStore(blobs.GetBlobContainerClient(research), fixture.Connection.Options).PutAsync(ResearchNames.Instance(agreement.Id, "2.25.71", "2.25.72", "2.25.73"), sample, "application/dicom", null, ct);
        }

        var containers = LocalHostArchive.UniqueContainers();
        containers["Audit"] = audit;
        containers["Control"] = control;
        containers["Research"] = research;
        var settings = LocalHostArchive.Settings(fixture.AzuriteConnectionString, keyDirectory, containers);
        settings["CloudArchive:ResearchApi:RequestsPerMinute"] = "600";
        settings["CloudArchive:ResearchApi:Burst"] = "100";
        var app = LocalHostApp.Build(LocalHostArchive.Args, builder =>
        {
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(settings);
        });
        await app.StartAsync(ct);
        try
        {
            using var client = ResearchApiFixture.CreateClient(app);
            var me = Guid.NewGuid().ToString("D");

            using var list = await client.SendAsync(ResearchApiFixture.AsRecipient($"/api/research/agreements/{agreement.Id}/studies", me), ct);
            using var fetch = await client.SendAsync(ResearchApiFixture.AsRecipient($"/api/research/agreements/{agreement.Id}/studies/2.25.71/series/2.25.72/instances/2.25.73", me), ct);

            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            using var json = JsonDocument.Parse(await list.Content.ReadAsStringAsync(ct));
            Assert.Equal("2.25.71", Assert.Single(json.RootElement.GetProperty("studies").EnumerateArray()).GetProperty("studyInstanceUid").GetString());
            Assert.Equal(HttpStatusCode.OK, fetch.StatusCode);
            Assert.Equal(await File.ReadAllBytesAsync(ResearchApiFixture.SamplePath("MR_small.dcm"), ct), await fetch.Content.ReadAsByteArrayAsync(ct));
            var names = new List<string>();
            await foreach (var item in blobs.GetBlobContainerClient(audit).GetBlobsAsync(cancellationToken: ct))
            {
                names.Add(item.Name);
            }

            Assert.NotEmpty(names); // the 110103 lines went to the configured audit container
        }
        finally
        {
            await app.StopAsync(ct);
            await app.DisposeAsync();
            TestArchiveSettings.DeleteDirectory(keyDirectory);
        }
    }

    [Fact]
    public void Invalid_rate_limit_and_forwarded_header_settings_stop_the_start_with_a_message_naming_the_keys()
    {
        var keyDirectory = TestArchiveSettings.NewKeyDirectory();
        try
        {
            var settings = LocalHostArchive.Settings(fixture.AzuriteConnectionString, keyDirectory, LocalHostArchive.UniqueContainers());
            settings["CloudArchive:ResearchApi:RequestsPerMinute"] = "0";
            settings["CloudArchive:ResearchApi:Burst"] = "-1";
            settings["CloudArchive:ResearchApi:ForwardedHeader"] = "X-Forwarded-For: 1.2.3.4";

            var ex = Assert.Throws<ArchiveConfigurationException>(() => LocalHostApp.Build(LocalHostArchive.Args, builder => builder.Configuration.AddInMemoryCollection(settings)));

            Assert.Contains("CloudArchive:ResearchApi:RequestsPerMinute", ex.Message, StringComparison.Ordinal);
            Assert.Contains("CloudArchive:ResearchApi:Burst", ex.Message, StringComparison.Ordinal);
            Assert.Contains("CloudArchive:ResearchApi:ForwardedHeader must be a header name", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            TestArchiveSettings.DeleteDirectory(keyDirectory);
        }
    }
}
