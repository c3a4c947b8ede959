using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Azure.Tests.Storage.Support;
using CloudArchive.Testing;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Azure.Tests.Storage.Blobs;

public sealed class BlobReadStreamTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Seekable_read_stream_returns_the_right_bytes_at_any_position()
    {
        var connection = azurite.CreateConnection(new StorageOptions { ReadChunkBytes = 64 * 1024 });
        var container = await azurite.CreateContainerAsync("seek", connection, Ct);
        var blob = container.GetBlob("r");
        const int size = 300_000;
        await blob.UploadAsync(new GeneratedStream(size, 11), cancellationToken: Ct);
        var expected = new byte[size];
        GeneratedStream.Fill(11, 0, expected);

        await using var stream = await blob.OpenReadAsync(cancellationToken: Ct);
        Assert.True(stream.CanSeek);
        Assert.Equal(size, stream.Length);
        var buffer = new byte[5000];
        foreach (var position in new long[] { 0, 299_000, 65_530, 131_072, 17, 250_000 })
        {
            stream.Position = position;
            var want = (int)Math.Min(buffer.Length, size - position);
            var got = 0;
            while (got < want)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(got, want - got), Ct);
                Assert.True(n > 0);
                got += n;
            }

            Assert.Equal(expected.AsSpan((int)position, want).ToArray(), buffer.AsSpan(0, want).ToArray());
        }

        stream.Seek(-10, SeekOrigin.End);
        var tail = new byte[10];
        Assert.Equal(10, stream.Read(tail, 0, 10));
        Assert.Equal(expected[^10..], tail);
        Assert.Equal(0, await stream.ReadAsync(tail, Ct));

        stream.Position = 0;
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(expected), await TestData.Sha256Async(stream));
    }

    [Fact]
    public async Task Read_stream_fails_with_412_when_the_blob_changes_under_it()
    {
        var connection = azurite.CreateConnection(new StorageOptions { ReadChunkBytes = 1024 });
        var container = await azurite.CreateContainerAsync("seekchg", connection, Ct);
        var blob = container.GetBlob("r");
        await blob.UploadAsync(new GeneratedStream(10_000, 1), cancellationToken: Ct);
        await using var stream = await blob.OpenReadAsync(cancellationToken: Ct);
        var buffer = new byte[100];
        await stream.ReadExactlyAsync(buffer, Ct);

        await blob.UploadAsync(new GeneratedStream(10_000, 2), cancellationToken: Ct);
        stream.Position = 5000;
        var ex = await Assert.ThrowsAsync<StorageRequestException>(() => stream.ReadExactlyAsync(buffer, Ct).AsTask());
        Assert.True(ex.IsPreconditionFailed);
    }
}
