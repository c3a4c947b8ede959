using Azure.Core;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Azure.Tests.Storage.Support;
using CloudArchive.Testing;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Azure.Tests.Storage.Blobs;

/// <summary>The prefetching open (first chunk with the properties) and the one-GET sequential pass over a blob version.</summary>
public sealed class BlobSequentialReadTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private (StorageConnection Connection, RequestCountingPolicy Counter) Connect(int chunk)
    {
        var counter = new RequestCountingPolicy();
        var options = new StorageOptions { ReadChunkBytes = chunk };
        options.AddPolicy(counter, HttpPipelinePosition.PerCall);
        return (azurite.CreateConnection(options), counter);
    }

    [Fact]
    public async Task A_blob_within_one_chunk_is_opened_parsed_and_read_sequentially_with_a_single_GET()
    {
        var (connection, counter) = Connect(chunk: 64 * 1024);
        var container = await azurite.CreateContainerAsync("seqsmall", connection, Ct);
        var blob = container.GetBlob("small");
        await blob.UploadAsync(new GeneratedStream(40_000, 3), cancellationToken: Ct);
        var before = counter.Operations.Count;

        await using var stream = await blob.OpenReadPrefetchedAsync(cancellationToken: Ct);
        Assert.Equal(40_000, stream.Length);
        stream.Position = 39_990;
        var tail = new byte[10];
        await stream.ReadExactlyAsync(tail, Ct);
        await using (var sequential = stream.OpenSequential())
        {
            Assert.Equal(GeneratedStream.ComputeSha256(40_000, 3), await TestData.Sha256Async(sequential));
        }

        Assert.Equal(["GET"], counter.Operations.Skip(before).ToArray());
    }

    [Fact]
    public async Task A_blob_larger_than_a_chunk_is_read_sequentially_with_one_more_GET_byte_identical()
    {
        var (connection, counter) = Connect(chunk: 64 * 1024);
        var container = await azurite.CreateContainerAsync("seqlarge", connection, Ct);
        var blob = container.GetBlob("large");
        const long size = 3_000_000;
        await blob.UploadAsync(new GeneratedStream(size, 4), cancellationToken: Ct);
        var before = counter.Operations.Count;

        await using var stream = await blob.OpenReadPrefetchedAsync(cancellationToken: Ct);
        Assert.Equal(size, stream.Length);
        await using (var sequential = stream.OpenSequential())
        {
            Assert.False(sequential.CanSeek);
            Assert.Equal(GeneratedStream.ComputeSha256(size, 4), await TestData.Sha256Async(sequential));
        }

        Assert.Equal(2, counter.Operations.Count - before);
    }

    [Fact]
    public async Task An_empty_blob_opens_with_length_zero_and_reads_nothing()
    {
        var (connection, _) = Connect(chunk: 1024);
        var container = await azurite.CreateContainerAsync("seqempty", connection, Ct);
        var blob = container.GetBlob("empty");
        await blob.UploadAsync(new MemoryStream([]), cancellationToken: Ct);

        await using var stream = await blob.OpenReadPrefetchedAsync(cancellationToken: Ct);
        Assert.Equal(0, stream.Length);
        await using var sequential = stream.OpenSequential();
        Assert.Equal(0, await sequential.ReadAsync(new byte[16], Ct));
    }

    [Fact]
    public async Task A_sequential_pass_fails_with_412_when_the_blob_was_replaced_after_opening()
    {
        var (connection, _) = Connect(chunk: 1024);
        var container = await azurite.CreateContainerAsync("seqchg", connection, Ct);
        var blob = container.GetBlob("r");
        await blob.UploadAsync(new GeneratedStream(10_000, 1), cancellationToken: Ct);
        await using var stream = await blob.OpenReadPrefetchedAsync(cancellationToken: Ct);

        await blob.UploadAsync(new GeneratedStream(10_000, 2), cancellationToken: Ct);
        await using var sequential = stream.OpenSequential();
        var ex = await Assert.ThrowsAsync<StorageRequestException>(() => sequential.CopyToAsync(Stream.Null, Ct));
        Assert.True(ex.IsPreconditionFailed);
    }
}
