using System.CommandLine;
using System.Text.Json;
using CloudArchive.Functions.Tests.EndToEnd;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Functions.Tests.Upload;

/// <summary>
/// <c>cloudarchive upload --wait</c> against the real ingest: the CLI uploads, the app ingests each upload as the host
/// delivers its event, and the CLI reports every local file beside its outcome, found through the audit log.
/// </summary>
public sealed class UploadWaitEndToEndTests : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly AzuriteFixture _azurite;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ca-upwait-" + Guid.NewGuid().ToString("N"));

    public UploadWaitEndToEndTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        Directory.CreateDirectory(_dir);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Wait_reports_each_file_archived_duplicate_quarantined_or_skipped_with_the_reason_and_exits_1()
    {
        await using var app = await IngestApp.StartAsync(_azurite);
        var study = SampleInstances.NewUid();
        var instance = await SampleInstances.CopyAsync("CT_small.dcm", study, SampleInstances.NewUid(), 0, withAddress: false);
        await File.WriteAllBytesAsync(Path.Combine(_dir, "first.dcm"), instance, Ct);
        await File.WriteAllBytesAsync(Path.Combine(_dir, "again.dcm"), instance, Ct);
        await File.WriteAllBytesAsync(Path.Combine(_dir, "cut.dcm"), instance[..1000], Ct);
        await File.WriteAllTextAsync(Path.Combine(_dir, "notes.dcm"), "not an image\n", Ct);

        var (result, delivered) = await RunWhileIngestingAsync(app, ["upload", Path.Combine(_dir, "first.dcm"), Path.Combine(_dir, "again.dcm"), Path.Combine(_dir, "cut.dcm"), Path.Combine(_dir, "notes.dcm"), "--wait", "--timeout", "120", "--json"]);

        Assert.True(result.ExitCode == 1, result.Output + result.Error);
        Assert.Equal(3, delivered); // the text file was never sent
        var rows = JsonDocument.Parse(result.Output).RootElement.EnumerateArray()
            .ToDictionary(r => Path.GetFileName(r.GetProperty("file").GetString()!), r => (Outcome: r.GetProperty("outcome").GetString(), Reason: r.GetProperty("reason").GetString(), Message: r.GetProperty("message").GetString()));
        Assert.Equal(["again.dcm", "cut.dcm", "first.dcm", "notes.dcm"], rows.Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal("skipped", rows["notes.dcm"].Outcome);
        Assert.Equal("not-dicom", rows["notes.dcm"].Reason);
        Assert.Equal("quarantined", rows["cut.dcm"].Outcome);
        Assert.Equal("dicom-format", rows["cut.dcm"].Reason);
        Assert.StartsWith("DicomFormat:", rows["cut.dcm"].Message, StringComparison.Ordinal);
        // The two identical uploads are ingested one after the other: one archived, one duplicate.
        Assert.Equal(["archived", "duplicate"], new[] { rows["first.dcm"].Outcome!, rows["again.dcm"].Outcome! }.Order(StringComparer.Ordinal).ToArray());

        // The audit lines carry the random references, never a file name.
        var audit = await AuditLinesAsync(app);
        Assert.Equal(3, audit.Count(l => l.Contains("upload-ref=", StringComparison.Ordinal)));
        Assert.DoesNotContain(audit, l => l.Contains("first.dcm", StringComparison.Ordinal) || l.Contains("cut.dcm", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_upload_nobody_ingests_is_reported_timed_out_in_the_table_and_exits_1()
    {
        await using var app = await IngestApp.StartAsync(_azurite);
        var file = Path.Combine(_dir, "lonely.dcm");
        await File.WriteAllBytesAsync(file, await SampleInstances.CopyAsync("MR_small.dcm", SampleInstances.NewUid(), SampleInstances.NewUid(), 1, withAddress: false), Ct);

        var result = await RunAsync(["upload", file, "--wait", "--timeout", "2", .. Settings(app)]);

        Assert.True(result.ExitCode == 1, result.Output + result.Error);
        Assert.Contains("lonely.dcm", result.Output, StringComparison.Ordinal);
        Assert.Contains("timed-out", result.Output, StringComparison.Ordinal);
        Assert.Contains("no outcome yet", result.Output, StringComparison.Ordinal);
    }

    private async Task<((int ExitCode, string Output, string Error) Result, int Delivered)> RunWhileIngestingAsync(IngestApp app, string[] args)
    {
        var cli = RunAsync([.. args, .. Settings(app)]);
        var delivered = new HashSet<string>(StringComparer.Ordinal);
        while (!cli.IsCompleted)
        {
            // Deliver each upload's event in name order, one at a time, as soon as it is in incoming.
            var names = new List<string>();
            await foreach (var blob in app.Incoming.GetBlobsAsync(cancellationToken: Ct))
            {
                names.Add(blob.Name);
            }

            foreach (var name in names.Where(delivered.Add).Order(StringComparer.Ordinal))
            {
                await app.DeliverAsync(name);
            }

            await Task.WhenAny(cli, Task.Delay(200, Ct));
        }

        return (await cli, delivered.Count);
    }

    private string[] Settings(IngestApp app)
    {
        var file = Path.Combine(_dir, "settings-" + Guid.NewGuid().ToString("N") + ".env");
        File.WriteAllLines(file, [
            $"CloudArchive:Containers:Incoming={app.Containers.Incoming}",
            $"CloudArchive:Containers:Audit={app.Containers.Audit}",
            $"CloudArchive:Containers:Quarantine={app.Containers.Quarantine}",
        ]);
        return ["--settings", file, "--connection-string", _azurite.ConnectionString];
    }

    private static async Task<List<string>> AuditLinesAsync(IngestApp app)
    {
        var lines = new List<string>();
        await foreach (var blob in app.Audit.GetBlobsAsync(cancellationToken: Ct))
        {
            var content = await app.Audit.GetBlobClient(blob.Name).DownloadContentAsync(Ct);
            lines.AddRange(content.Value.Content.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }

        return lines;
    }

    private static Task<(int ExitCode, string Output, string Error)> RunAsync(string[] args) => InProcessCli.RunAsync(args);
}
