using Xunit;
using System.Text;
using Azure;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Azure.Tests.Storage.Support;
using CloudArchive.Testing.Azurite;

namespace CloudArchive.Azure.Tests.Storage.Blobs;

public sealed class AppendBlobTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Appends_land_in_order_and_report_their_offsets_and_block_counts()
    {
        var container = await azurite.CreateContainerAsync("append", cancellationToken: Ct);
        var blob = container.GetBlob("log/2026/11/22/00/w1.jsonl");
        await blob.CreateAppendBlobAsync(new BlobUploadOptions { ContentType = "application/x-ndjson", Conditions = BlobRequestConditions.CreateOnly }, Ct);

        var first = await blob.AppendBlockAsync(Encoding.UTF8.GetBytes("{\"n\":1}\n"), appendPosition: 0, cancellationToken: Ct);
        var second = await blob.AppendBlockAsync(Encoding.UTF8.GetBytes("{\"n\":2}\n"), appendPosition: 8, cancellationToken: Ct);
        Assert.Equal(0, first.AppendOffset);
        Assert.Equal(1, first.CommittedBlockCount);
        Assert.Equal(8, second.AppendOffset);
        Assert.Equal(2, second.CommittedBlockCount);

        var props = await blob.GetPropertiesAsync(cancellationToken: Ct);
        Assert.Equal(BlobType.Append, props.BlobType);
        Assert.Equal("application/x-ndjson", props.ContentType);
        Assert.Equal(2, props.CommittedBlockCount);
        Assert.Equal("{\"n\":1}\n{\"n\":2}\n", await TestData.DownloadTextAsync(blob));
    }

    [Fact]
    public async Task Append_at_a_stale_position_fails_with_412_and_changes_nothing()
    {
        var container = await azurite.CreateContainerAsync("stale", cancellationToken: Ct);
        var blob = container.GetBlob("a.log");
        await blob.CreateAppendBlobAsync(cancellationToken: Ct);
        await blob.AppendBlockAsync(Encoding.UTF8.GetBytes("abc"), appendPosition: 0, cancellationToken: Ct);

        var ex = await Assert.ThrowsAsync<StorageRequestException>(() => blob.AppendBlockAsync(Encoding.UTF8.GetBytes("zzz"), appendPosition: 0, cancellationToken: Ct));
        Assert.True(ex.IsPreconditionFailed);
        Assert.Equal("AppendPositionConditionNotMet", ex.ErrorCode);
        Assert.Equal("AppendBlock", ex.Operation);
        Assert.Equal("abc", await TestData.DownloadTextAsync(blob));
    }

    [Fact]
    public async Task Creating_an_append_blob_create_only_over_an_existing_one_is_409()
    {
        var container = await azurite.CreateContainerAsync("appcreate", cancellationToken: Ct);
        var blob = container.GetBlob("a.log");
        await blob.CreateAppendBlobAsync(new BlobUploadOptions { Conditions = BlobRequestConditions.CreateOnly }, Ct);
        await blob.AppendBlockAsync(new byte[] { 1 }, cancellationToken: Ct);
        var ex = await Assert.ThrowsAsync<StorageRequestException>(() => blob.CreateAppendBlobAsync(new BlobUploadOptions { Conditions = BlobRequestConditions.CreateOnly }, Ct));
        Assert.True(ex.IsConflict);
        Assert.Equal(1, (await blob.GetPropertiesAsync(cancellationToken: Ct)).ContentLength);
    }

    [Fact]
    public async Task Append_to_a_block_blob_is_rejected_with_409_InvalidBlobType()
    {
        var container = await azurite.CreateContainerAsync("apptype", cancellationToken: Ct);
        var blob = container.GetBlob("block");
        await blob.UploadAsync(TestData.Utf8("x"), cancellationToken: Ct);
        var ex = await Assert.ThrowsAsync<StorageRequestException>(() => blob.AppendBlockAsync(new byte[] { 1 }, cancellationToken: Ct));
        Assert.True(ex.IsConflict);
        Assert.Equal("InvalidBlobType", ex.ErrorCode);
    }

    [Fact]
    public async Task Append_of_an_empty_block_is_rejected_locally()
    {
        var blob = azurite.Connection.Blobs.GetContainer("unused-container").GetBlob("x");
        await Assert.ThrowsAsync<ArgumentException>(() => blob.AppendBlockAsync(ReadOnlyMemory<byte>.Empty, cancellationToken: Ct));
    }

    [Fact]
    public async Task Append_with_if_match_of_an_old_etag_fails_with_412()
    {
        var container = await azurite.CreateContainerAsync("appetag", cancellationToken: Ct);
        var blob = container.GetBlob("a.log");
        var created = await blob.CreateAppendBlobAsync(cancellationToken: Ct);
        var appended = await blob.AppendBlockAsync(new byte[] { 1 }, conditions: new BlobRequestConditions { IfMatch = created.ETag }, cancellationToken: Ct);
        Assert.NotEqual(created.ETag, appended.ETag);
        var ex = await Assert.ThrowsAsync<StorageRequestException>(() => blob.AppendBlockAsync(new byte[] { 2 }, conditions: new BlobRequestConditions { IfMatch = created.ETag }, cancellationToken: Ct));
        Assert.True(ex.IsPreconditionFailed);
    }
}
