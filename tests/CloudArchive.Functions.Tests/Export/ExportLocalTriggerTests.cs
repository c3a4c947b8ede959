using CloudArchive.Functions.Tests.EndToEnd;
using CloudArchive.Research.Agreements;
using CloudArchive.Research.Consent;
using CloudArchive.Research.Export;
using CloudArchive.Research.Publication;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Functions.Tests.Export;

/// <summary>
/// The local loop without any Functions host: the local host's incoming scanner and queue listeners (RunTriggers) ingest
/// an upload, and an export request put on the export queue (as <c>cloudarchive export run --queue</c> does) is
/// delivered to ExportResearchCopies. Queues and the scanner's state are unique to the test.
/// </summary>
public sealed class ExportLocalTriggerTests : IClassFixture<AzuriteFixture>
{
    private readonly AzuriteFixture _azurite;

    public ExportLocalTriggerTests(AzuriteFixture azurite) => _azurite = azurite;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_export_request_on_the_queue_is_delivered_to_the_export_function_by_the_local_host()
    {
        var exportQueue = AzuriteFixture.UniqueName("exq");
        await using var app = await ExportApp.StartAsync(_azurite, new Dictionary<string, string?>
        {
            ["LocalHost:RunTriggers"] = "true",
            ["LocalHost:ScanInterval"] = "00:00:00.200",
            ["LocalHost:MaxPollingInterval"] = "00:00:00.200",
            ["LocalHost:Queues:IngestInstance"] = AzuriteFixture.UniqueName("inq"),
            ["LocalHost:Queues:ExportResearchCopies"] = exportQueue,
            ["LocalHost:StateContainer"] = AzuriteFixture.UniqueName("st"),
        });
        var studyUid = SampleInstances.NewUid();
        await app.Container("Incoming").GetBlobClient("gw/one.dcm").UploadAsync(new BinaryData(await SampleInstances.CopyAsync("CT_small.dcm", studyUid, SampleInstances.NewUid(), 9, withAddress: false)), Ct);
        await ExportApp.WaitUntilAsync(async () => (await app.ListAsync("Archive", "studies/")).Count == 1 && (await app.ListAsync("Incoming")).Count == 0, TimeSpan.FromSeconds(60), "the upload is ingested by the local host");

        await app.Consents.PutAsync(
            new ConsentRecord { PatientPseudonym = await app.PseudonymAsync($"{SampleInstances.Planted}ID9"), Status = ConsentStatus.Active, Purposes = ["HRESCH"], Source = "cli", RecordedAt = DateTimeOffset.UtcNow, RecordedBy = "cli:cloudarchive" },
            Ct);
        Assert.True(await app.Agreements.TryCreateAsync(
            new DataSharingAgreement
            {
                Id = "queued-cohort",
                PurposeOfUse = "HRESCH",
                Recipients = ["6f1c7c8e-0d5b-4a39-9a43-1b8a7f0d2c11"],
                ValidFrom = DateTimeOffset.UtcNow.AddDays(-1),
                ValidUntil = DateTimeOffset.UtcNow.AddDays(1),
                CopyRetention = "P6M",
                CreatedAt = DateTimeOffset.UtcNow.AddDays(-1),
                CreatedBy = "cli:cloudarchive",
            },
            Ct));

        var queue = app.Connection.Queues.GetQueueClient(exportQueue);
        await queue.CreateIfNotExistsAsync(cancellationToken: Ct);
        await queue.SendMessageAsync(ExportApp.Request("queued-cohort", "cli:cloudarchive"), cancellationToken: Ct);

        await ExportApp.WaitUntilAsync(
            async () => (await app.ListAsync("Research", ResearchNames.Manifest("queued-cohort"))).Count == 1, TimeSpan.FromSeconds(60), "the export runs");
        var manifest = ExportManifest.Parse(await app.ReadAllAsync("Research", ResearchNames.Manifest("queued-cohort")));
        Assert.Equal(1, manifest.Exported.Instances);
        await ExportApp.WaitUntilAsync(async () => (await queue.GetPropertiesAsync(Ct)).Value.ApproximateMessagesCount == 0, TimeSpan.FromSeconds(10), "the request is deleted");
        Assert.Empty((await app.Connection.Queues.GetQueueClient(exportQueue + "-poison").PeekMessagesAsync(32, Ct)).Value);
        Assert.DoesNotContain(SampleInstances.Planted, app.Logs.Text, StringComparison.Ordinal);
    }
}
