using Xunit;
using Azure;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Azure.Tests.Storage.Support;
using CloudArchive.Testing.Azurite;

namespace CloudArchive.Azure.Tests.Storage.Blobs;

public sealed class BlobBasicsTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_container_is_idempotent_and_reports_whether_it_created()
    {
        var container = azurite.Connection.Blobs.GetContainer(AzuriteFixture.UniqueName("idem"));
        Assert.False(await container.ExistsAsync(Ct));
        Assert.True(await container.CreateIfNotExistsAsync(Ct));
        Assert.False(await container.CreateIfNotExistsAsync(Ct));
        Assert.True(await container.ExistsAsync(Ct));
        Assert.True(await container.DeleteIfExistsAsync(Ct));
        Assert.False(await container.DeleteIfExistsAsync(Ct));
    }

    [Fact]
    public async Task Upload_then_download_returns_the_bytes_content_type_and_metadata()
    {
        var container = await azurite.CreateContainerAsync("basic", cancellationToken: Ct);
        var blob = container.GetBlob("dir/sub dir/ü-name.json");
        var written = await blob.UploadAsync(TestData.Utf8("{\"a\":1}"), new BlobUploadOptions
        {
            ContentType = "application/json",
            Metadata = new Dictionary<string, string> { ["schema"] = "v1", ["writer_id"] = "w-7" },
        }, Ct);

        await using var download = await blob.DownloadAsync(cancellationToken: Ct);
        using var reader = new StreamReader(download.Content);
        Assert.Equal("{\"a\":1}", await reader.ReadToEndAsync(Ct));
        Assert.Equal("application/json", download.Properties.ContentType);
        Assert.Equal(written.ETag, download.Properties.ETag);
        Assert.Equal(7, download.Properties.ContentLength);
        Assert.Equal("v1", download.Properties.Metadata["schema"]);
        Assert.Equal("w-7", download.Properties.Metadata["writer_id"]);
        Assert.Equal(BlobType.Block, download.Properties.BlobType);
    }

    [Fact]
    public async Task Properties_report_length_type_etag_and_metadata_and_set_metadata_replaces_it()
    {
        var container = await azurite.CreateContainerAsync("props", cancellationToken: Ct);
        var blob = container.GetBlob("p.bin");
        var first = await blob.UploadAsync(new MemoryStream(new byte[1234]), new BlobUploadOptions { Metadata = new Dictionary<string, string> { ["a"] = "1" } }, Ct);

        var props = await blob.GetPropertiesAsync(cancellationToken: Ct);
        Assert.Equal(1234, props.ContentLength);
        Assert.Equal("application/octet-stream", props.ContentType);
        Assert.Equal(first.ETag, props.ETag);
        Assert.Equal("1", props.Metadata["a"]);
        Assert.NotNull(props.LastModified);

        var updated = await blob.SetMetadataAsync(new Dictionary<string, string> { ["b"] = "2" }, new BlobRequestConditions { IfMatch = first.ETag }, Ct);
        Assert.NotEqual(first.ETag, updated.ETag);
        var after = await blob.GetPropertiesAsync(cancellationToken: Ct);
        Assert.False(after.Metadata.ContainsKey("a"));
        Assert.Equal("2", after.Metadata["b"]);

        var stale = await Assert.ThrowsAsync<StorageRequestException>(() =>
            blob.SetMetadataAsync(new Dictionary<string, string> { ["c"] = "3" }, new BlobRequestConditions { IfMatch = first.ETag }, Ct));
        Assert.True(stale.IsPreconditionFailed);
        Assert.Equal("ConditionNotMet", stale.ErrorCode);
        Assert.Equal("SetBlobMetadata", stale.Operation);
    }

    [Fact]
    public async Task Create_only_write_of_an_existing_blob_fails_with_409_and_keeps_the_first_content()
    {
        var container = await azurite.CreateContainerAsync("createonly", cancellationToken: Ct);
        var blob = container.GetBlob("once.txt");
        await blob.UploadAsync(TestData.Utf8("first"), new BlobUploadOptions { Conditions = BlobRequestConditions.CreateOnly }, Ct);

        var ex = await Assert.ThrowsAsync<StorageRequestException>(() =>
            blob.UploadAsync(TestData.Utf8("second"), new BlobUploadOptions { Conditions = BlobRequestConditions.CreateOnly }, Ct));
        Assert.True(ex.IsConflict);
        Assert.Equal("BlobAlreadyExists", ex.ErrorCode);
        Assert.Equal("PutBlob", ex.Operation);
        Assert.False(string.IsNullOrEmpty(ex.RequestId));
        Assert.Equal("first", await TestData.DownloadTextAsync(blob));
    }

    [Fact]
    public async Task Concurrent_create_only_writers_exactly_one_wins_the_others_get_409()
    {
        var container = await azurite.CreateContainerAsync("race", cancellationToken: Ct);
        var blob = container.GetBlob("contended");
        var attempts = Enumerable.Range(0, 8).Select(async i =>
        {
            try
            {
                await blob.UploadAsync(TestData.Utf8("writer " + i), new BlobUploadOptions { Conditions = BlobRequestConditions.CreateOnly }, Ct);
                return (Won: true, Text: "writer " + i);
            }
            catch (StorageRequestException ex) when (ex.IsConflict)
            {
                return (Won: false, Text: ex.ErrorCode!);
            }
        }).ToList();
        var results = await Task.WhenAll(attempts);

        var winner = Assert.Single(results, r => r.Won);
        Assert.All(results.Where(r => !r.Won), r => Assert.Equal("BlobAlreadyExists", r.Text));
        Assert.Equal(winner.Text, await TestData.DownloadTextAsync(blob));
    }

    [Fact]
    public async Task If_match_with_a_stale_etag_fails_with_412_and_with_the_current_etag_succeeds()
    {
        var container = await azurite.CreateContainerAsync("ifmatch", cancellationToken: Ct);
        var blob = container.GetBlob("doc.json");
        var v1 = await blob.UploadAsync(TestData.Utf8("v1"), cancellationToken: Ct);
        var v2 = await blob.UploadAsync(TestData.Utf8("v2"), new BlobUploadOptions { Conditions = new BlobRequestConditions { IfMatch = v1.ETag } }, Ct);

        var ex = await Assert.ThrowsAsync<StorageRequestException>(() =>
            blob.UploadAsync(TestData.Utf8("v3"), new BlobUploadOptions { Conditions = new BlobRequestConditions { IfMatch = v1.ETag } }, Ct));
        Assert.True(ex.IsPreconditionFailed);
        Assert.Equal("v2", await TestData.DownloadTextAsync(blob));
        Assert.NotEqual(v1.ETag, v2.ETag);
    }

    [Fact]
    public async Task Download_of_a_range_returns_exactly_those_bytes_and_the_total_length()
    {
        var container = await azurite.CreateContainerAsync("range", cancellationToken: Ct);
        var blob = container.GetBlob("r.bin");
        var data = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        await blob.UploadAsync(new MemoryStream(data), cancellationToken: Ct);

        await using var download = await blob.DownloadAsync(new BlobRange(100, 50), cancellationToken: Ct);
        Assert.Equal(50, download.ContentLength);
        Assert.Equal(1000, download.Properties.ContentLength);
        using var copy = new MemoryStream();
        await download.Content.CopyToAsync(copy, Ct);
        Assert.Equal(data[100..150], copy.ToArray());

        Assert.Equal(data[990..], await TestData.DownloadBytesAsync(blob, new BlobRange(990)));
    }

    [Fact]
    public async Task Download_of_a_range_running_past_the_end_stops_at_the_end()
    {
        var container = await azurite.CreateContainerAsync("tailrange", cancellationToken: Ct);
        var blob = container.GetBlob("small");
        var data = Enumerable.Range(0, 10).Select(i => (byte)(i + 1)).ToArray();
        await blob.UploadAsync(new MemoryStream(data), cancellationToken: Ct);

        await using var download = await blob.DownloadAsync(new BlobRange(6, 100), cancellationToken: Ct);
        Assert.Equal(4, download.ContentLength);
        Assert.Equal(10, download.Properties.ContentLength);
        Assert.Equal(data[6..], await TestData.DownloadBytesAsync(blob, new BlobRange(6, 100)));
    }

    [Fact]
    public async Task Missing_blob_and_container_are_404_with_their_error_codes()
    {
        var container = await azurite.CreateContainerAsync("missing", cancellationToken: Ct);
        var ex = await Assert.ThrowsAsync<StorageRequestException>(() => container.GetBlob("nope").DownloadAsync(cancellationToken: Ct));
        Assert.True(ex.IsNotFound);
        Assert.Equal("BlobNotFound", ex.ErrorCode);

        var head = await Assert.ThrowsAsync<StorageRequestException>(() => container.GetBlob("nope").GetPropertiesAsync(cancellationToken: Ct));
        Assert.True(head.IsNotFound);
        Assert.Equal("BlobNotFound", head.ErrorCode);
        Assert.False(await container.GetBlob("nope").ExistsAsync(Ct));

        var noContainer = azurite.Connection.Blobs.GetContainer(AzuriteFixture.UniqueName("absent"));
        var ex2 = await Assert.ThrowsAsync<StorageRequestException>(() => noContainer.GetBlob("x").UploadAsync(TestData.Utf8("x"), cancellationToken: Ct));
        Assert.True(ex2.IsNotFound);
        Assert.Equal("ContainerNotFound", ex2.ErrorCode);
    }

    [Fact]
    public async Task Delete_removes_the_blob_and_a_second_delete_is_404()
    {
        var container = await azurite.CreateContainerAsync("delete", cancellationToken: Ct);
        var blob = container.GetBlob("gone");
        await blob.UploadAsync(TestData.Utf8("x"), cancellationToken: Ct);
        await blob.DeleteAsync(cancellationToken: Ct);
        Assert.False(await blob.ExistsAsync(Ct));
        var ex = await Assert.ThrowsAsync<StorageRequestException>(() => blob.DeleteAsync(cancellationToken: Ct));
        Assert.True(ex.IsNotFound);
        Assert.False(await blob.DeleteIfExistsAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task Delete_of_a_blob_with_snapshots_needs_include_snapshots_and_then_removes_all()
    {
        var container = await azurite.CreateContainerAsync("snaps", cancellationToken: Ct);
        var blob = container.GetBlob("s");
        await blob.UploadAsync(TestData.Utf8("x"), cancellationToken: Ct);
        var snapshot = await blob.CreateSnapshotAsync(cancellationToken: Ct);
        Assert.False(string.IsNullOrEmpty(snapshot));

        var ex = await Assert.ThrowsAsync<StorageRequestException>(() => blob.DeleteAsync(cancellationToken: Ct));
        Assert.True(ex.IsConflict);
        Assert.Equal("SnapshotsPresent", ex.ErrorCode);

        await blob.DeleteAsync(new BlobDeleteOptions { IncludeSnapshots = true }, Ct);
        var left = await container.ListBlobsAsync(new BlobListOptions { IncludeSnapshots = true }, Ct).ToListAsync(Ct);
        Assert.Empty(left);
    }

    [Fact]
    public async Task Delete_of_one_snapshot_keeps_the_base_blob()
    {
        var container = await azurite.CreateContainerAsync("snap1", cancellationToken: Ct);
        var blob = container.GetBlob("s");
        await blob.UploadAsync(TestData.Utf8("x"), cancellationToken: Ct);
        var snapshot = await blob.CreateSnapshotAsync(cancellationToken: Ct);
        await blob.DeleteAsync(new BlobDeleteOptions { Snapshot = snapshot }, Ct);
        var left = await container.ListBlobsAsync(new BlobListOptions { IncludeSnapshots = true }, Ct).ToListAsync(Ct);
        var only = Assert.Single(left);
        Assert.Null(only.Snapshot);
    }

    [Fact]
    public async Task Invalid_names_metadata_and_tags_are_rejected_before_any_request()
    {
        var blobs = azurite.Connection.Blobs;
        Assert.Throws<ArgumentException>(() => blobs.GetContainer("Upper"));
        Assert.Throws<ArgumentException>(() => blobs.GetContainer("a--b"));
        Assert.Throws<ArgumentException>(() => blobs.GetContainer("ab"));
        var container = blobs.GetContainer("valid-name");
        Assert.Throws<ArgumentException>(() => container.GetBlob(""));
        Assert.Throws<ArgumentException>(() => container.GetBlob("ends-with-dot."));
        Assert.Throws<ArgumentException>(() => container.GetBlob("studies/../keyring/index.json"));
        Assert.Throws<ArgumentException>(() => container.GetBlob("./a"));
        var blob = container.GetBlob("b");
        await Assert.ThrowsAsync<ArgumentException>(() => blob.SetMetadataAsync(new Dictionary<string, string> { ["1bad"] = "x" }, cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => blob.SetMetadataAsync(new Dictionary<string, string> { ["ok"] = "naïve" }, cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => blob.SetTagsAsync(new Dictionary<string, string> { ["k"] = "semi;colon" }, cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => blob.SetTagsAsync(Enumerable.Range(0, 11).ToDictionary(i => "k" + i, i => "v"), cancellationToken: Ct));
    }
}
