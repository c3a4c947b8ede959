using System.Globalization;
using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Azure.Tests.Storage.Support;
using CloudArchive.Testing;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Azure.Tests.Storage;

/// <summary>Our streamed block-blob write (<see cref="BlockUpload"/>) against Azurite.</summary>
public sealed class BlockUploadTests(AzuriteFixture azurite)
{
    private const int Block = 64 * 1024;

    private static readonly BlobRequestConditions CreateOnly = new() { IfNoneMatch = ETag.All };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private (StorageConnection Connection, RequestRecordingPolicy Requests) Connect(int blockSize = Block, long threshold = Block, int concurrency = 4)
    {
        var requests = new RequestRecordingPolicy();
        var options = new StorageOptions { BlockSizeBytes = blockSize, SingleUploadThresholdBytes = threshold, MaxUploadConcurrency = concurrency, ConfigureClient = requests.AddTo };
        return (azurite.CreateConnection(options), requests);
    }

    private async Task<(BlockBlobClient Blob, StorageConnection Connection, RequestRecordingPolicy Requests)> NewBlobAsync(string prefix, int blockSize = Block, long threshold = Block, int concurrency = 4)
    {
        var (connection, requests) = Connect(blockSize, threshold, concurrency);
        var container = await azurite.CreateContainerAsync(prefix, connection, Ct);
        return (container.GetBlockBlobClient("studies/s/i.dcm.enc"), connection, requests);
    }

    [Theory]
    [InlineData(1_000L)]
    [InlineData((3L * Block) + 100)]
    public async Task A_second_create_only_write_of_a_name_is_refused_and_the_first_content_stays(long size)
    {
        var (blob, connection, _) = await NewBlobAsync("createonly");
        await BlockUpload.UploadAsync(blob, new GeneratedStream(size, seed: 1), new BlockUploadOptions { Conditions = CreateOnly }, connection.Options, Ct);

        var ex = await Assert.ThrowsAsync<StorageRequestException>(() =>
            BlockUpload.UploadAsync(blob, new GeneratedStream(size, seed: 2), new BlockUploadOptions { Conditions = CreateOnly }, connection.Options, Ct));

        Assert.True(ex.IsConflict || ex.IsPreconditionFailed, $"status {ex.Status}");
        Assert.Equal(size > Block ? "PutBlockList" : "PutBlob", ex.Operation);
        Assert.Equal(GeneratedStream.ComputeSha256(size, seed: 1), await ShaOfBlobAsync(blob));
    }

    [Theory]
    [InlineData(false, 1_000L)]
    [InlineData(true, 50_000L)]
    [InlineData(false, 0L)]
    public async Task A_one_request_write_returns_the_md5_the_service_computed_over_the_content(bool seekable, long size)
    {
        var (blob, connection, requests) = await NewBlobAsync("md5receipt");

        var receipt = await BlockUpload.UploadAsync(blob, new GeneratedStream(size, seed: 3, seekable), new BlockUploadOptions(), connection.Options, Ct);

        var expected = Convert.ToBase64String(MD5.HashData(TestData.Generated(size, seed: 3)));
        Assert.Equal(expected, receipt.ContentMd5);
        Assert.Equal(expected, Convert.ToBase64String((await blob.GetPropertiesAsync(cancellationToken: Ct)).Value.ContentHash));
        Assert.Single(requests.Of("PUT"));
        Assert.Empty(requests.Of("PUT block"));
    }

    [Theory]
    [InlineData(Block - 1, 0)]
    [InlineData(Block, 1)]
    [InlineData(Block + 1, 2)]
    [InlineData(2 * Block, 2)]
    public async Task Content_is_cut_into_blocks_of_the_configured_size_at_the_boundaries(int size, int expectedBlocks)
    {
        var (blob, connection, requests) = await NewBlobAsync("boundaries");

        await BlockUpload.UploadAsync(blob, new GeneratedStream(size, seed: 4), new BlockUploadOptions(), connection.Options, Ct);

        Assert.Equal(expectedBlocks, requests.Of("PUT block").Count);
        Assert.Equal(expectedBlocks == 0 ? 0 : 1, requests.Of("PUT blocklist").Count);
        Assert.Equal(expectedBlocks == 0 ? 1 : 0, requests.Of("PUT").Count);
        Assert.Equal(GeneratedStream.ComputeSha256(size, seed: 4), await ShaOfBlobAsync(blob));
    }

    [Fact]
    public async Task A_staged_write_commits_content_metadata_trailing_metadata_and_tags_with_one_request()
    {
        var (blob, connection, requests) = await NewBlobAsync("staged");
        const long size = (5L * Block) + 1234;
        var content = new GeneratedStream(size, seed: 5);
        var trailingCalls = 0;
        long readWhenAsked = -1;
        bool? visibleBeforeCommit = null;

        var receipt = await BlockUpload.UploadAsync(
            blob,
            content,
            new BlockUploadOptions
            {
                ContentType = "application/dicom",
                Metadata = new Dictionary<string, string> { ["early"] = "1" },
                TrailingMetadata = () =>
                {
                    trailingCalls++;
                    readWhenAsked = content.Position;

                    // Every block is staged or in flight by now; none of it may be visible before the commit.
                    visibleBeforeCommit = blob.Exists(Ct).Value;
                    return new Dictionary<string, string> { ["readbytes"] = content.Position.ToString(CultureInfo.InvariantCulture) };
                },
                Tags = new Dictionary<string, string> { ["ca_study"] = "S1" },
                Conditions = CreateOnly,
            },
            connection.Options,
            Ct);

        Assert.Equal(1, trailingCalls);
        Assert.Equal(size, readWhenAsked);
        Assert.False(visibleBeforeCommit);
        Assert.Null(receipt.ContentMd5);

        // Metadata and tags travel with the Put Block List: no later Set Metadata or Set Tags could leave the blob
        // committed without them.
        var writes = requests.Operations.Where(o => o.StartsWith("PUT", StringComparison.Ordinal) && o != "PUT container").ToList();
        Assert.Equal([.. Enumerable.Repeat("PUT block", 6), "PUT blocklist"], writes);
        var commit = Assert.Single(requests.Of("PUT blocklist"));
        Assert.Equal("1", commit.Header("x-ms-meta-early"));
        Assert.Equal(size.ToString(CultureInfo.InvariantCulture), commit.Header("x-ms-meta-readbytes"));
        Assert.NotNull(commit.Header("x-ms-tags"));

        var properties = (await blob.GetPropertiesAsync(cancellationToken: Ct)).Value;
        Assert.Equal(size, properties.ContentLength);
        Assert.Equal("application/dicom", properties.ContentType);
        Assert.Equal("1", properties.Metadata["early"]);
        Assert.Equal(size.ToString(CultureInfo.InvariantCulture), properties.Metadata["readbytes"]);
        Assert.Equal("S1", (await blob.GetTagsAsync(cancellationToken: Ct)).Value.Tags["ca_study"]);
        Assert.Equal(6, (await blob.GetBlockListAsync(BlockListTypes.Committed, cancellationToken: Ct)).Value.CommittedBlocks.Count());
        Assert.Equal(GeneratedStream.ComputeSha256(size, seed: 5), await ShaOfBlobAsync(blob));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Every_put_block_and_put_blob_carries_a_content_md5_exactly_when_transactional_md5_is_on(bool md5)
    {
        var (blob, connection, requests) = await NewBlobAsync("md5header");
        const int stagedSize = (3 * Block) + 100;
        var small = blob.GetParentBlobContainerClient().GetBlockBlobClient("small");

        await BlockUpload.UploadAsync(blob, new GeneratedStream(stagedSize, seed: 6), new BlockUploadOptions { TransactionalMd5 = md5 }, connection.Options, Ct);
        await BlockUpload.UploadAsync(small, new GeneratedStream(1000, seed: 7), new BlockUploadOptions { TransactionalMd5 = md5 }, connection.Options, Ct);

        var blocks = requests.Of("PUT block");
        var putBlob = Assert.Single(requests.Of("PUT"));
        Assert.Equal(4, blocks.Count);
        if (md5)
        {
            var content = TestData.Generated(stagedSize, seed: 6);
            var expected = Enumerable.Range(0, blocks.Count).Select(i => Convert.ToBase64String(MD5.HashData(content.AsSpan(i * Block, Math.Min(Block, stagedSize - (i * Block)))))).Order(StringComparer.Ordinal);
            Assert.Equal(expected, blocks.Select(b => b.Header("Content-MD5")).Order(StringComparer.Ordinal));
            Assert.Equal(Convert.ToBase64String(MD5.HashData(TestData.Generated(1000, seed: 7))), putBlob.Header("Content-MD5"));
        }
        else
        {
            Assert.All(blocks, b => Assert.Null(b.Header("Content-MD5")));
            Assert.Null(putBlob.Header("Content-MD5"));
        }

        Assert.Equal(GeneratedStream.ComputeSha256(stagedSize, seed: 6), await ShaOfBlobAsync(blob));
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData((2 * Block) + 10_000)]
    public async Task A_source_that_throws_midway_fails_the_write_with_its_exception_and_leaves_no_blob(int failAfter)
    {
        var (blob, connection, requests) = await NewBlobAsync("throwing");

        var ex = await Assert.ThrowsAsync<IOException>(() => BlockUpload.UploadAsync(blob, new ThrowingStream(failAfter), new BlockUploadOptions { Conditions = CreateOnly }, connection.Options, Ct));

        Assert.Equal("source broke", ex.Message);
        Assert.Empty(requests.Of("PUT blocklist"));
        Assert.Empty(requests.Of("PUT"));
        Assert.False((await blob.ExistsAsync(Ct)).Value);
    }

    [Fact]
    public async Task A_refused_block_stops_the_write_soon_with_that_blocks_error_and_commits_nothing()
    {
        var (connection, requests) = Connect(blockSize: Block, threshold: Block, concurrency: 2);
        var blob = connection.Blobs.GetBlobContainerClient(AzuriteFixture.UniqueName("nocontainer")).GetBlockBlobClient("x");

        var ex = await Assert.ThrowsAsync<StorageRequestException>(() => BlockUpload.UploadAsync(blob, new GeneratedStream(16 * Block), new BlockUploadOptions(), connection.Options, Ct));

        Assert.Equal("PutBlock", ex.Operation);
        Assert.True(ex.IsNotFound);
        Assert.Empty(requests.Of("PUT blocklist"));
        Assert.True(requests.Of("PUT block").Count <= 4, "the write must stop soon after the first refusal, not stage all 16 blocks");
    }

    [Fact]
    public async Task Two_concurrent_create_only_staged_writes_of_one_name_leave_exactly_the_winners_bytes()
    {
        var (blob, connection, _) = await NewBlobAsync("race", concurrency: 2);
        var sizes = new[] { (5L * Block) + 1, (7L * Block) + 3 };
        using var bothStaged = new Barrier(2);
        var met = new bool[2];

        // Both writers meet after reading their last byte, just before committing, so both sets of uncommitted
        // blocks sit on the same name when the commits race.
        Task<BlockUploadReceipt> Write(int writer) => Task.Run(
            () => BlockUpload.UploadAsync(
                blob,
                new GeneratedStream(sizes[writer], seed: (ulong)(100 + writer)),
                new BlockUploadOptions
                {
                    Conditions = CreateOnly,
                    TrailingMetadata = () =>
                    {
                        met[writer] = bothStaged.SignalAndWait(TimeSpan.FromSeconds(30), Ct);
                        return new Dictionary<string, string> { ["writer"] = writer.ToString(CultureInfo.InvariantCulture) };
                    },
                },
                connection.Options,
                Ct),
            Ct);

        var writes = new[] { Write(0), Write(1) };
        await Task.WhenAll(writes).ContinueWith(_ => { }, Ct, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        Assert.Equal([true, true], met);
        var winner = Assert.Single(Enumerable.Range(0, 2), i => writes[i].IsCompletedSuccessfully);
        var loser = Assert.IsType<StorageRequestException>(writes[1 - winner].Exception?.InnerException);
        Assert.True(loser.IsConflict || loser.IsPreconditionFailed, $"status {loser.Status}");
        var properties = (await blob.GetPropertiesAsync(cancellationToken: Ct)).Value;
        Assert.Equal(winner.ToString(CultureInfo.InvariantCulture), properties.Metadata["writer"]);
        Assert.Equal(sizes[winner], properties.ContentLength);
        Assert.Equal(GeneratedStream.ComputeSha256(sizes[winner], seed: (ulong)(100 + winner)), await ShaOfBlobAsync(blob));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_write_below_a_threshold_above_the_sdks_own_single_upload_size_is_still_one_put_blob(bool seekable)
    {
        // The SDK's Upload splits anything above its own 256 MiB single-upload size into blocks; the receipt's MD5 is
        // the content's only for a Put Blob, so our threshold, not the SDK's, must decide. A stub transport: Azurite
        // would make 300 MiB slow, and only the requests' shape is in question.
        const long size = 300L * 1024 * 1024;
        var md5 = Convert.ToBase64String(MD5.HashData("stub"u8));
        var transport = new DrainingStubTransport(("Content-MD5", md5), ("ETag", "\"0x1\""));
        var options = new StorageOptions { SingleUploadThresholdBytes = 512L * 1024 * 1024, BlockSizeBytes = 512 * 1024 * 1024, ConfigureClient = o => o.Transport = transport };
        var connection = StorageConnection.FromConnectionString("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0xMjM0NTY3ODkwMTIzNDU2Nzg5MA==", options);

        var receipt = await BlockUpload.UploadAsync(connection.Blobs.GetBlobContainerClient("archive").GetBlockBlobClient("b"), new GeneratedStream(size, seed: 1, seekable), new BlockUploadOptions { TransactionalMd5 = false }, options, Ct);

        Assert.Equal(["PUT"], transport.Operations);
        Assert.Equal(md5, receipt.ContentMd5);
    }

    [Fact]
    public async Task A_seekable_source_is_written_from_its_current_position()
    {
        var (blob, connection, _) = await NewBlobAsync("position");
        var source = new MemoryStream([1, 2, 3, 4, 5]) { Position = 2 };

        await BlockUpload.UploadAsync(blob, source, new BlockUploadOptions(), connection.Options, Ct);

        Assert.Equal(new byte[] { 3, 4, 5 }, await TestData.DownloadBytesAsync(blob));
    }

    [Fact]
    public async Task A_one_request_put_refuses_trailing_metadata_before_sending_anything()
    {
        var (blob, _, requests) = await NewBlobAsync("put");
        var before = requests.Requests.Count;

        await Assert.ThrowsAsync<ArgumentException>(() => BlockUpload.PutAsync(blob, new MemoryStream([1]), new BlockUploadOptions { TrailingMetadata = () => new Dictionary<string, string>() }, Ct));

        Assert.Equal(before, requests.Requests.Count);
    }


    private static async Task<byte[]> ShaOfBlobAsync(BlockBlobClient blob)
    {
        using var download = (await blob.DownloadStreamingAsync(cancellationToken: Ct)).Value;
        return await TestData.Sha256Async(download.Content);
    }
}
