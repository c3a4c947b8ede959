using Azure.Storage.Blobs.Models;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Cli.Tests.Operations;

/// <summary><c>upload</c> against Azurite: what a gateway sends, under which names, byte for byte.</summary>
public sealed class UploadCommandTests : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly AzuriteFixture _azurite;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ca-upload-" + Guid.NewGuid().ToString("N"));

    public UploadCommandTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        Directory.CreateDirectory(Path.Combine(_dir, "study", "series2"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Directories_send_dcm_and_extensionless_files_but_not_DICOMDIR_and_named_files_are_sent_as_given()
    {
        var ct = TestContext.Current.CancellationToken;
        await File.WriteAllBytesAsync(Path.Combine(_dir, "study", "a.dcm"), [1, 2, 3], ct);
        await File.WriteAllBytesAsync(Path.Combine(_dir, "study", "series2", "IM0001"), [4, 5], ct);
        await File.WriteAllBytesAsync(Path.Combine(_dir, "study", "DICOMDIR"), [6], ct);
        await File.WriteAllBytesAsync(Path.Combine(_dir, "study", "notes.txt"), [7], ct);
        var explicitFile = Path.Combine(_dir, "report.bin");
        await File.WriteAllBytesAsync(explicitFile, [8, 9, 10, 11], ct);
        var container = AzuriteFixture.UniqueName("up");

        // --force: these bytes are not DICOM, and this test is about names, not screening.
        var result = await OperationsCli.RunAsync("upload", Path.Combine(_dir, "study"), explicitFile, "--container", container, "--prefix", "gw1/", "--force", "--connection-string", _azurite.ConnectionString);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("Uploaded 3 file(s)", result.Output, StringComparison.Ordinal);
        var blobs = new Dictionary<string, BlobItem>(StringComparer.Ordinal);
        await foreach (var blob in _azurite.Connection.Blobs.GetBlobContainerClient(container).GetBlobsAsync(cancellationToken: ct))
        {
            blobs[blob.Name] = blob;
        }

        Assert.Equal(["gw1/report.bin", "gw1/study/a.dcm", "gw1/study/series2/IM0001"], blobs.Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.All(blobs.Values, b => Assert.Equal("application/dicom", b.Properties.ContentType));
        var download = await _azurite.Connection.Blobs.GetBlobContainerClient(container).GetBlobClient("gw1/report.bin").DownloadContentAsync(ct);
        Assert.Equal(new byte[] { 8, 9, 10, 11 }, download.Value.Content.ToArray());
    }

    [Fact]
    public async Task Obviously_non_DICOM_files_are_skipped_with_a_reason_and_exit_1_while_a_truncated_DICOM_is_still_sent()
    {
        var ct = TestContext.Current.CancellationToken;
        var sample = await File.ReadAllBytesAsync(Path.Combine(CloudArchive.Testing.RepositoryPaths.FindRoot(), "testdata", "dicom", "CT_small.dcm"), ct);
        await File.WriteAllBytesAsync(Path.Combine(_dir, "empty.dcm"), [], ct);
        await File.WriteAllTextAsync(Path.Combine(_dir, "readme.dcm"), "this is a text file, not an image", ct);
        await File.WriteAllBytesAsync(Path.Combine(_dir, "cut.dcm"), sample[..1000], ct);
        var container = AzuriteFixture.UniqueName("up");

        var result = await OperationsCli.RunAsync("upload", Path.Combine(_dir, "empty.dcm"), Path.Combine(_dir, "readme.dcm"), Path.Combine(_dir, "cut.dcm"), "--container", container, "--connection-string", _azurite.ConnectionString);

        Assert.True(result.ExitCode == 1, result.Output + result.Error);
        Assert.Contains("Skipped", result.Output, StringComparison.Ordinal);
        Assert.Contains("empty.dcm: the file is empty", result.Output, StringComparison.Ordinal);
        Assert.Contains("readme.dcm: no DICOM header", result.Output, StringComparison.Ordinal);
        Assert.Contains("--force", result.Output, StringComparison.Ordinal);
        Assert.Contains("cut.dcm", result.Output, StringComparison.Ordinal);
        Assert.Contains($"{container}/cut.dcm", result.Output, StringComparison.Ordinal);
        Assert.Equal(["cut.dcm"], await NamesAsync(container));

        var forced = await OperationsCli.RunAsync("upload", Path.Combine(_dir, "empty.dcm"), Path.Combine(_dir, "readme.dcm"), "--container", container, "--force", "--connection-string", _azurite.ConnectionString);

        Assert.True(forced.ExitCode == 0, forced.Output + forced.Error);
        Assert.Equal(["cut.dcm", "empty.dcm", "readme.dcm"], await NamesAsync(container));
    }

    [Fact]
    public async Task Each_upload_carries_a_fresh_random_reference_and_json_lists_what_was_stored_where()
    {
        var ct = TestContext.Current.CancellationToken;
        var sample = await File.ReadAllBytesAsync(Path.Combine(CloudArchive.Testing.RepositoryPaths.FindRoot(), "testdata", "dicom", "MR_small.dcm"), ct);
        await File.WriteAllBytesAsync(Path.Combine(_dir, "a.dcm"), sample, ct);
        await File.WriteAllBytesAsync(Path.Combine(_dir, "b.dcm"), sample, ct);
        var container = AzuriteFixture.UniqueName("up");

        var result = await OperationsCli.RunAsync("upload", Path.Combine(_dir, "a.dcm"), Path.Combine(_dir, "b.dcm"), "--container", container, "--prefix", "gw/", "--json", "--connection-string", _azurite.ConnectionString);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        var rows = System.Text.Json.JsonDocument.Parse(result.Output).RootElement.EnumerateArray().ToList();
        Assert.Equal([$"{container}/gw/a.dcm", $"{container}/gw/b.dcm"], rows.Select(r => r.GetProperty("blob").GetString()!).Order(StringComparer.Ordinal).ToArray());
        Assert.All(rows, r => Assert.Equal("stored", r.GetProperty("outcome").GetString()));
        var references = new List<string>();
        foreach (var name in new[] { "gw/a.dcm", "gw/b.dcm" })
        {
            var properties = await _azurite.Connection.Blobs.GetBlobContainerClient(container).GetBlobClient(name).GetPropertiesAsync(cancellationToken: ct);
            references.Add(properties.Value.Metadata[CloudArchive.Core.Ingest.UploadReference.MetadataName]);
        }

        Assert.All(references, r => Assert.Equal(r, CloudArchive.Core.Ingest.UploadReference.ParseOrNull(r)));
        Assert.NotEqual(references[0], references[1]);
    }

    private async Task<string[]> NamesAsync(string container)
    {
        var names = new List<string>();
        await foreach (var blob in _azurite.Connection.Blobs.GetBlobContainerClient(container).GetBlobsAsync(cancellationToken: TestContext.Current.CancellationToken))
        {
            names.Add(blob.Name);
        }

        return names.Order(StringComparer.Ordinal).ToArray();
    }

    [Fact]
    public async Task Missing_path_is_a_usage_error_and_uploads_nothing()
    {
        var container = AzuriteFixture.UniqueName("up");
        var result = await OperationsCli.RunAsync("upload", Path.Combine(_dir, "nope.dcm"), "--container", container, "--connection-string", _azurite.ConnectionString);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("does not exist", result.Error, StringComparison.Ordinal);
        Assert.False((await _azurite.Connection.Blobs.GetBlobContainerClient(container).ExistsAsync(TestContext.Current.CancellationToken)).Value);
    }

    [Fact]
    public async Task Unreachable_storage_is_reported_as_a_storage_error_without_the_account_key()
    {
        await File.WriteAllBytesAsync(Path.Combine(_dir, "x.dcm"), [1], TestContext.Current.CancellationToken);
        var port = FreePort();
        var connection = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Azure.Storage.StorageApi.DevelopmentAccountKey};BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
        var result = await OperationsCli.RunAsync("upload", Path.Combine(_dir, "x.dcm"), "--force", "--connection-string", connection);

        Assert.Equal(3, result.ExitCode);
        Assert.DoesNotContain(Azure.Storage.StorageApi.DevelopmentAccountKey, result.Error + result.Output, StringComparison.Ordinal);
    }

    internal static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
