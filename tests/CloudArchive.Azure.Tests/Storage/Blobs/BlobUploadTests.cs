using Azure.Core;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Azure.Tests.Storage.Support;
using CloudArchive.Testing;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Azure.Tests.Storage.Blobs;

public sealed class BlobUploadTests(AzuriteFixture azurite)
{
    private const int MiB = 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private (StorageConnection Connection, RequestCountingPolicy Counter) Connect(int blockSize, long threshold, int concurrency = 4)
    {
        var counter = new RequestCountingPolicy();
        var options = new StorageOptions { BlockSizeBytes = blockSize, SingleUploadThresholdBytes = threshold, MaxUploadConcurrency = concurrency };
        options.AddPolicy(counter, HttpPipelinePosition.PerCall);
        return (azurite.CreateConnection(options), counter);
    }

    [Fact]
    public async Task Upload_of_200_MiB_through_staged_blocks_reads_back_byte_identical()
    {
        const long size = 200L * MiB;
        var (connection, counter) = Connect(blockSize: 8 * MiB, threshold: 8 * MiB);
        var container = await azurite.CreateContainerAsync("big", connection, Ct);
        var blob = container.GetBlob("studies/big.dcm.enc");

        await blob.UploadAsync(new GeneratedStream(size, seed: 200), new BlobUploadOptions { ContentType = "application/octet-stream" }, Ct);

        Assert.Equal(25, counter.Count("PUT block"));
        Assert.Equal(1, counter.Count("PUT blocklist"));
        Assert.Equal(0, counter.Count("PUT"));
        var expected = GeneratedStream.ComputeSha256(size, seed: 200);
        await using var download = await blob.DownloadAsync(cancellationToken: Ct);
        Assert.Equal(size, download.ContentLength);
        Assert.Equal(expected, await TestData.Sha256Async(download.Content));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Small_uploads_are_one_put_blob_whether_or_not_the_stream_can_seek(bool seekable)
    {
        var (connection, counter) = Connect(blockSize: 1 * MiB, threshold: 2 * MiB);
        var container = await azurite.CreateContainerAsync("small", connection, Ct);
        var blob = container.GetBlob("s.bin");
        await blob.UploadAsync(new GeneratedStream(1000, 3, seekable), cancellationToken: Ct);

        Assert.Equal(1, counter.Count("PUT"));
        Assert.Equal(0, counter.Count("PUT block"));
        Assert.Equal(GeneratedStream.ComputeSha256(1000, 3), await TestData.Sha256Async((await blob.DownloadAsync(cancellationToken: Ct)).Content));
    }

    [Theory]
    [InlineData(true, 5L * 1024 * 1024 + 17, 6)]
    [InlineData(false, 5L * 1024 * 1024 + 17, 6)]
    [InlineData(false, 4L * 1024 * 1024, 4)]
    public async Task Uploads_above_the_threshold_are_staged_in_equal_blocks_and_committed_once(bool seekable, long size, int expectedBlocks)
    {
        var (connection, counter) = Connect(blockSize: 1 * MiB, threshold: 1 * MiB, concurrency: 3);
        var container = await azurite.CreateContainerAsync("staged", connection, Ct);
        var blob = container.GetBlob("s.bin");
        var written = await blob.UploadAsync(new GeneratedStream(size, 5, seekable), new BlobUploadOptions
        {
            ContentType = "application/dicom",
            Metadata = new Dictionary<string, string> { ["keyVersion"] = "3" },
            Tags = new Dictionary<string, string> { ["ca_study"] = "S1" },
        }, Ct);

        Assert.Equal(expectedBlocks, counter.Count("PUT block"));
        Assert.Equal(1, counter.Count("PUT blocklist"));
        var props = await blob.GetPropertiesAsync(cancellationToken: Ct);
        Assert.Equal(size, props.ContentLength);
        Assert.Equal(written.ETag, props.ETag);
        Assert.Equal("application/dicom", props.ContentType);
        Assert.Equal("3", props.Metadata["keyVersion"]);
        Assert.Equal("S1", (await blob.GetTagsAsync(cancellationToken: Ct))["ca_study"]);
        Assert.Equal(GeneratedStream.ComputeSha256(size, 5), await TestData.Sha256Async((await blob.DownloadAsync(cancellationToken: Ct)).Content));
    }

    [Fact]
    public async Task Upload_starts_at_the_current_position_of_a_seekable_stream()
    {
        var container = await azurite.CreateContainerAsync("pos", cancellationToken: Ct);
        var blob = container.GetBlob("p");
        var source = new MemoryStream([1, 2, 3, 4, 5]) { Position = 2 };
        await blob.UploadAsync(source, cancellationToken: Ct);
        Assert.Equal(new byte[] { 3, 4, 5 }, await TestData.DownloadBytesAsync(blob));
    }

    [Fact]
    public async Task Empty_stream_uploads_an_empty_blob()
    {
        var container = await azurite.CreateContainerAsync("empty", cancellationToken: Ct);
        var blob = container.GetBlob("e");
        await blob.UploadAsync(new GeneratedStream(0), cancellationToken: Ct);
        Assert.Equal(0, (await blob.GetPropertiesAsync(cancellationToken: Ct)).ContentLength);
        Assert.Empty(await TestData.DownloadBytesAsync(blob));
    }

    [Fact]
    public async Task Staged_create_only_upload_over_an_existing_blob_fails_at_commit_with_409_and_keeps_the_old_content()
    {
        var (connection, _) = Connect(blockSize: 256 * 1024, threshold: 256 * 1024);
        var container = await azurite.CreateContainerAsync("stagedonce", connection, Ct);
        var blob = container.GetBlob("x");
        await blob.UploadAsync(TestData.Utf8("original"), cancellationToken: Ct);

        var ex = await Assert.ThrowsAsync<StorageRequestException>(() =>
            blob.UploadAsync(new GeneratedStream(MiB), new BlobUploadOptions { Conditions = BlobRequestConditions.CreateOnly }, Ct));
        Assert.True(ex.IsConflict);
        Assert.Equal("PutBlockList", ex.Operation);
        Assert.Equal("original", await TestData.DownloadTextAsync(blob));
    }

    [Fact]
    public async Task A_failing_block_stops_the_upload_with_that_blocks_error_and_commits_nothing()
    {
        var (connection, counter) = Connect(blockSize: 256 * 1024, threshold: 256 * 1024, concurrency: 2);
        var container = connection.Blobs.GetContainer(AzuriteFixture.UniqueName("nocontainer"));
        var ex = await Assert.ThrowsAsync<StorageRequestException>(() => container.GetBlob("x").UploadAsync(new GeneratedStream(4 * MiB), cancellationToken: Ct));
        Assert.Equal("PutBlock", ex.Operation);
        Assert.True(ex.IsNotFound);
        Assert.Equal(0, counter.Count("PUT blocklist"));
        Assert.True(counter.Count("PUT block") <= 4, "the upload must stop soon after the first failure, not stage all 16 blocks");
    }

    [Fact]
    public async Task A_stream_that_throws_fails_the_upload_with_its_exception()
    {
        var (connection, counter) = Connect(blockSize: 64 * 1024, threshold: 64 * 1024);
        var container = await azurite.CreateContainerAsync("throwing", connection, Ct);
        var ex = await Assert.ThrowsAsync<IOException>(() => container.GetBlob("x").UploadAsync(new ThrowingStream(300 * 1024), cancellationToken: Ct));
        Assert.Equal("source broke", ex.Message);
        Assert.Equal(0, counter.Count("PUT blocklist"));
        Assert.False(await container.GetBlob("x").ExistsAsync(Ct));
    }

    [Fact]
    public async Task Upload_under_a_lease_needs_the_lease_id_also_for_staged_blocks()
    {
        var (connection, _) = Connect(blockSize: 128 * 1024, threshold: 128 * 1024);
        var container = await azurite.CreateContainerAsync("leasedup", connection, Ct);
        var blob = container.GetBlob("x");
        await blob.UploadAsync(TestData.Utf8("v1"), cancellationToken: Ct);
        var lease = await blob.AcquireLeaseAsync(TimeSpan.FromSeconds(30), cancellationToken: Ct);

        var denied = await Assert.ThrowsAsync<StorageRequestException>(() => blob.UploadAsync(new GeneratedStream(512 * 1024), cancellationToken: Ct));
        Assert.True(denied.IsPreconditionFailed);
        await blob.UploadAsync(new GeneratedStream(512 * 1024, 9), new BlobUploadOptions { Conditions = new BlobRequestConditions { LeaseId = lease.LeaseId } }, Ct);
        Assert.Equal(512 * 1024, (await blob.GetPropertiesAsync(cancellationToken: Ct)).ContentLength);
    }

    private sealed class ThrowingStream(int failAfter) : Stream
    {
        private int _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_read >= failAfter)
            {
                throw new IOException("source broke");
            }

            var n = Math.Min(count, failAfter - _read);
            _read += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
