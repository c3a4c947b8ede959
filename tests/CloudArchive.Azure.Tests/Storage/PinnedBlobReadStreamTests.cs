using System.Security.Cryptography;
using Azure.Storage.Blobs;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Azure.Tests.Storage.Support;
using CloudArchive.Testing;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Azure.Tests.Storage;

/// <summary>The seekable read of one blob version (<see cref="PinnedBlobReadStream"/>) and its sequential pass, against Azurite.</summary>
public sealed class PinnedBlobReadStreamTests(AzuriteFixture azurite)
{
    private const int Chunk = 64 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(BlobClient Blob, RequestRecordingPolicy Requests)> NewBlobAsync(string prefix, long size, ulong seed = 1)
    {
        var requests = new RequestRecordingPolicy();
        var connection = azurite.CreateConnection(new StorageOptions { ConfigureClient = requests.AddTo });
        var container = await azurite.CreateContainerAsync(prefix, connection, Ct);
        var blob = container.GetBlobClient("incoming/upload.dcm");
        await Put(blob, size, seed);
        return (blob, requests);
    }

    [Fact]
    public async Task Reads_and_seeks_return_the_right_bytes_with_the_versions_length_etag_and_metadata()
    {
        const int size = 300_000;
        var (blob, _) = await NewBlobAsync("seek", size, seed: 11);
        await blob.SetMetadataAsync(new Dictionary<string, string> { ["source"] = "modality-7" }, cancellationToken: Ct);
        var properties = (await blob.GetPropertiesAsync(cancellationToken: Ct)).Value;
        var expected = TestData.Generated(size, seed: 11);

        await using var stream = await PinnedBlobReadStream.OpenAsync(blob, Chunk, Ct);

        Assert.True(stream.CanSeek);
        Assert.False(stream.CanWrite);
        Assert.Equal(size, stream.Length);
        Assert.Equal(properties.ETag, stream.ETag);
        Assert.Equal("modality-7", stream.Metadata["source"]);
        var buffer = new byte[5000];
        foreach (var position in new long[] { 0, 299_000, Chunk - 6, 2 * Chunk, 17, 250_000 })
        {
            stream.Position = position;
            var want = (int)Math.Min(buffer.Length, size - position);
            await stream.ReadExactlyAsync(buffer.AsMemory(0, want), Ct);
            Assert.Equal(expected.AsSpan((int)position, want).ToArray(), buffer.AsSpan(0, want).ToArray());
        }

        Assert.Equal(size - 10, stream.Seek(-10, SeekOrigin.End));
        var tail = new byte[10];
        Assert.Equal(10, stream.Read(tail, 0, 10));
        Assert.Equal(expected[^10..], tail);
        Assert.Equal(0, await stream.ReadAsync(tail, Ct));
        Assert.Equal(size - 5, stream.Seek(-5, SeekOrigin.Current));

        stream.Position = 0;
        Assert.Equal(SHA256.HashData(expected), await TestData.Sha256Async(stream));
    }

    [Fact]
    public async Task A_blob_replaced_after_opening_fails_the_next_chunk_fetch_with_precondition_failed()
    {
        var (blob, _) = await NewBlobAsync("replaced", 4 * Chunk, seed: 1);
        await using var stream = await PinnedBlobReadStream.OpenAsync(blob, Chunk, Ct);
        var buffer = new byte[100];
        await stream.ReadExactlyAsync(buffer, Ct);

        await Put(blob, 4 * Chunk, seed: 2);

        // Still served from the chunk read at opening: the first version's bytes.
        await stream.ReadExactlyAsync(buffer, Ct);
        Assert.Equal(TestData.Generated(200, seed: 1)[100..], buffer);
        stream.Position = 2 * Chunk;
        var ex = await Assert.ThrowsAsync<StorageRequestException>(() => stream.ReadExactlyAsync(buffer, Ct).AsTask());
        Assert.True(ex.IsPreconditionFailed, $"status {ex.Status}");
        Assert.Null(ex.InnerException);
    }

    [Fact]
    public async Task An_empty_blob_opens_with_length_zero_and_reads_nothing()
    {
        var (blob, _) = await NewBlobAsync("empty", 0);

        await using var stream = await PinnedBlobReadStream.OpenAsync(blob, Chunk, Ct);

        Assert.Equal(0, stream.Length);
        Assert.Equal((await blob.GetPropertiesAsync(cancellationToken: Ct)).Value.ETag, stream.ETag);
        Assert.Equal(0, await stream.ReadAsync(new byte[16], Ct));
        await using var sequential = stream.OpenSequential();
        Assert.Equal(0, await sequential.ReadAsync(new byte[16], Ct));
    }

    [Fact]
    public async Task Opening_a_missing_blob_is_not_found()
    {
        var container = await azurite.CreateContainerAsync("missing", cancellationToken: Ct);

        var ex = await Assert.ThrowsAsync<StorageRequestException>(() => PinnedBlobReadStream.OpenAsync(container.GetBlobClient("nothing.dcm"), Chunk, Ct));

        Assert.True(ex.IsNotFound);
        Assert.Equal("GetBlob", ex.Operation);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1_000L)]
    [InlineData(Chunk - 1L)]
    [InlineData(Chunk + 5L)]
    [InlineData((3L * Chunk) + 7)]
    [InlineData(200_000L)]
    public async Task A_sequential_pass_from_any_offset_returns_the_rest_of_the_version(long offset)
    {
        const int size = 200_000;
        var (blob, _) = await NewBlobAsync("sequential", size, seed: 4);
        var expected = TestData.Generated(size, seed: 4);
        await using var stream = await PinnedBlobReadStream.OpenAsync(blob, Chunk, Ct);

        await using var sequential = stream.OpenSequential(offset);

        Assert.False(sequential.CanSeek);
        var rest = new MemoryStream();
        await sequential.CopyToAsync(rest, Ct);
        Assert.Equal(expected[(int)offset..], rest.ToArray());
    }

    [Fact]
    public async Task A_sequential_pass_after_seeking_away_from_the_first_chunk_still_starts_at_its_offset()
    {
        const int size = 200_000;
        var (blob, _) = await NewBlobAsync("seqafterseek", size, seed: 5);
        var expected = TestData.Generated(size, seed: 5);
        await using var stream = await PinnedBlobReadStream.OpenAsync(blob, Chunk, Ct);
        stream.Position = 2 * Chunk;
        await stream.ReadExactlyAsync(new byte[10], Ct);

        foreach (var offset in new long[] { 100, (2 * Chunk) + 50, size - 1 })
        {
            await using var sequential = stream.OpenSequential(offset);
            var rest = new MemoryStream();
            await sequential.CopyToAsync(rest, Ct);
            Assert.Equal(expected[(int)offset..], rest.ToArray());
        }
    }

    [Fact]
    public async Task A_blob_within_one_chunk_is_opened_read_and_passed_sequentially_with_a_single_GET()
    {
        var (blob, requests) = await NewBlobAsync("onechunk", 40_000, seed: 3);
        var before = requests.Requests.Count;

        await using var stream = await PinnedBlobReadStream.OpenAsync(blob, Chunk, Ct);
        stream.Position = 39_990;
        await stream.ReadExactlyAsync(new byte[10], Ct);
        await using (var sequential = stream.OpenSequential())
        {
            Assert.Equal(GeneratedStream.ComputeSha256(40_000, 3), await TestData.Sha256Async(sequential));
        }

        Assert.Equal(["GET"], requests.Operations.Skip(before));
    }

    [Fact]
    public async Task A_larger_blob_is_passed_sequentially_with_one_more_GET()
    {
        const long size = 1_000_000;
        var (blob, requests) = await NewBlobAsync("bigchunk", size, seed: 6);
        var before = requests.Requests.Count;

        await using var stream = await PinnedBlobReadStream.OpenAsync(blob, Chunk, Ct);
        await using (var sequential = stream.OpenSequential())
        {
            Assert.Equal(GeneratedStream.ComputeSha256(size, 6), await TestData.Sha256Async(sequential));
        }

        Assert.Equal(["GET", "GET"], requests.Operations.Skip(before));
        var rest = requests.Requests.Skip(before + 1).Single();
        Assert.Equal(stream.ETag.ToString(), rest.Header("If-Match"));
    }

    [Fact]
    public async Task A_sequential_pass_fails_with_precondition_failed_when_the_blob_was_replaced_after_opening()
    {
        var (blob, _) = await NewBlobAsync("seqreplaced", 4 * Chunk, seed: 1);
        await using var stream = await PinnedBlobReadStream.OpenAsync(blob, Chunk, Ct);

        await Put(blob, 4 * Chunk, seed: 2);
        await using var sequential = stream.OpenSequential();

        var ex = await Assert.ThrowsAsync<StorageRequestException>(() => sequential.CopyToAsync(Stream.Null, Ct));
        Assert.True(ex.IsPreconditionFailed, $"status {ex.Status}");
    }

    private static async Task Put(BlobClient blob, long size, ulong seed)
    {
        using var content = new MemoryStream(TestData.Generated(size, seed));
        await blob.UploadAsync(content, overwrite: true, Ct);
    }
}
