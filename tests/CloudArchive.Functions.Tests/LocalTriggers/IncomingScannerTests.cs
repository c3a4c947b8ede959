using System.Text.Json;
using CloudArchive.Functions.Ingest;
using CloudArchive.Functions.LocalHost;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Functions.Tests.LocalTriggers;

/// <summary>The local stand-in for Event Grid: one BlobCreated event per upload version (name + ETag), remembered across restarts.</summary>
public sealed class IncomingScannerTests : IClassFixture<AzuriteFixture>
{
    private readonly AzuriteFixture _azurite;

    public IncomingScannerTests(AzuriteFixture azurite) => _azurite = azurite;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IncomingScanner Scanner(LocalTriggerScenario scenario) =>
        new(_azurite.Connection, _azurite.Connection, scenario.Incoming, scenario.Queue, scenario.StateContainer, TimeProvider.System);

    [Fact]
    public async Task Each_upload_version_is_enqueued_once_even_across_a_restart()
    {
        var scenario = new LocalTriggerScenario(_azurite);
        await scenario.UploadAsync("a/1.dcm", [1]);
        await scenario.UploadAsync("a/2.dcm", [2]);

        Assert.Equal(2, await Scanner(scenario).ScanOnceAsync(Ct));
        var scanner = Scanner(scenario); // a restart: only the saved state says what was enqueued
        Assert.Equal(0, await scanner.ScanOnceAsync(Ct));
        await scenario.UploadAsync("a/1.dcm", [1, 1]);
        Assert.Equal(1, await scanner.ScanOnceAsync(Ct));
        Assert.Equal(0, await scanner.ScanOnceAsync(Ct));

        Assert.Equal(3, (await scenario.IngestQueue.PeekMessagesAsync(32, Ct)).Value.Length);
    }

    [Fact]
    public async Task Stow_rs_parts_are_left_to_the_request_that_ingests_them()
    {
        var scenario = new LocalTriggerScenario(_azurite);
        await scenario.UploadAsync(CloudArchive.Core.DicomWeb.Stow.StowService.UploadPrefix + "request-1/00001.dcm", [1]);
        await scenario.UploadAsync("gateway/1.dcm", [2]);

        Assert.Equal(1, await Scanner(scenario).ScanOnceAsync(Ct));

        var text = Assert.Single((await scenario.IngestQueue.PeekMessagesAsync(32, Ct)).Value).Body.ToString();
        Assert.Equal("gateway/1.dcm", Assert.Single(BlobCreatedEventParser.Parse(QueueMessageText.DecodeJson(text), scenario.Incoming)).BlobName);
    }

    [Fact]
    public async Task The_event_is_one_the_ingest_function_parses_for_the_incoming_container()
    {
        var scenario = new LocalTriggerScenario(_azurite);
        var written = await scenario.UploadAsync("gateway 1/ü ß.dcm", [1, 2, 3]);

        await Scanner(scenario).ScanOnceAsync(Ct);

        var text = Assert.Single((await scenario.IngestQueue.PeekMessagesAsync(1, Ct)).Value).Body.ToString();
        var blobEvent = Assert.Single(BlobCreatedEventParser.Parse(QueueMessageText.DecodeJson(text), scenario.Incoming));
        Assert.Equal((scenario.Incoming, "gateway 1/ü ß.dcm", 3L, "PutBlob", "BlockBlob"), (blobEvent.Container, blobEvent.BlobName, blobEvent.ContentLength, blobEvent.Api, blobEvent.BlobType));
        Assert.Equal(written.ETag.ToString().Trim('"'), blobEvent.ETag?.Trim('"'));
        Assert.False(string.IsNullOrEmpty(blobEvent.Sequencer));
    }

    [Fact]
    public async Task Upload_names_are_kept_only_as_hashes_in_the_scan_state()
    {
        var scenario = new LocalTriggerScenario(_azurite);
        await scenario.UploadAsync("SMITH^JOHN/ct.dcm", [1]);

        await Scanner(scenario).ScanOnceAsync(Ct);

        var state = _azurite.Connection.Blobs.GetBlobContainerClient(scenario.StateContainer);
        var names = new List<string>();
        await foreach (var item in state.GetBlobsAsync(cancellationToken: Ct))
        {
            names.Add(item.Name);
        }

        var blob = Assert.Single(names);
        var download = await state.GetBlobClient(blob).DownloadContentAsync(Ct);
        using var json = JsonDocument.Parse(download.Value.Content.ToMemory());
        var entry = Assert.Single(json.RootElement.EnumerateObject());
        Assert.Equal(ScanState.NameHash("SMITH^JOHN/ct.dcm"), entry.Name);
        Assert.DoesNotContain("SMITH", json.RootElement.GetRawText(), StringComparison.Ordinal);
    }
}
