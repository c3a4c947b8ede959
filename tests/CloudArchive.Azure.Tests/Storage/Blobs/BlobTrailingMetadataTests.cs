using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Azure.Tests.Storage.Support;
using CloudArchive.Testing;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Azure.Tests.Storage.Blobs;

/// <summary>Metadata computed while the content streams is committed with it; bodies carry a transactional MD5.</summary>
public sealed class BlobTrailingMetadataTests(AzuriteFixture azurite)
{
    private const int MiB = 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(100_000L)]
    [InlineData(5L * MiB)]
    public async Task Trailing_metadata_is_taken_after_the_last_byte_and_stored_with_the_blob(long size)
    {
        var connection = azurite.CreateConnection(new StorageOptions { BlockSizeBytes = 2 * MiB, SingleUploadThresholdBytes = 2 * MiB });
        var container = await azurite.CreateContainerAsync("trailing", connection, Ct);
        var blob = container.GetBlob("b");
        var content = new GeneratedStream(size, 9);

        await blob.UploadAsync(
            content,
            new BlobUploadOptions
            {
                Metadata = new Dictionary<string, string> { ["early"] = "1" },
                TrailingMetadata = () => new Dictionary<string, string> { ["readbytes"] = content.Position.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                Conditions = BlobRequestConditions.CreateOnly,
                TransactionalMd5 = true,
            },
            Ct);

        var properties = await blob.GetPropertiesAsync(cancellationToken: Ct);
        Assert.Equal(size, properties.ContentLength);
        Assert.Equal("1", properties.Metadata["early"]);
        Assert.Equal(size.ToString(System.Globalization.CultureInfo.InvariantCulture), properties.Metadata["readbytes"]);
        await using var download = await blob.DownloadAsync(cancellationToken: Ct);
        Assert.Equal(GeneratedStream.ComputeSha256(size, 9), await TestData.Sha256Async(download.Content));
    }

    [Fact]
    public async Task Trailing_metadata_with_seekable_content_is_refused_before_any_request()
    {
        var container = await azurite.CreateContainerAsync("trailingseek", azurite.Connection, Ct);
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => container.GetBlob("b").UploadAsync(
            new MemoryStream(new byte[10]),
            new BlobUploadOptions { TrailingMetadata = () => new Dictionary<string, string>() },
            Ct));
        Assert.Contains("cannot seek", ex.Message, StringComparison.Ordinal);
        Assert.False(await container.GetBlob("b").ExistsAsync(Ct));
    }

    [Fact]
    public async Task Invalid_trailing_metadata_fails_the_commit_and_leaves_no_blob()
    {
        var container = await azurite.CreateContainerAsync("trailingbad", azurite.Connection, Ct);
        await Assert.ThrowsAsync<ArgumentException>(() => container.GetBlob("b").UploadAsync(
            new GeneratedStream(1000, 1),
            new BlobUploadOptions { TrailingMetadata = () => new Dictionary<string, string> { ["not a name"] = "x" } },
            Ct));
        Assert.False(await container.GetBlob("b").ExistsAsync(Ct));
    }
}
