using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Azure.Tests.Storage.Support;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Azure.Tests.Storage.Blobs;

public sealed class BlobLeaseTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_lease_blocks_a_second_writer_until_released()
    {
        var container = await azurite.CreateContainerAsync("lease", cancellationToken: Ct);
        var blob = container.GetBlob("keyring/study.json");
        await blob.UploadAsync(TestData.Utf8("v1"), cancellationToken: Ct);
        var lease = await blob.AcquireLeaseAsync(TimeSpan.FromSeconds(15), cancellationToken: Ct);
        Assert.Equal("leased", (await blob.GetPropertiesAsync(cancellationToken: Ct)).LeaseState);

        var secondWriter = await Assert.ThrowsAsync<StorageRequestException>(() => blob.UploadAsync(TestData.Utf8("intruder"), cancellationToken: Ct));
        Assert.True(secondWriter.IsPreconditionFailed);
        Assert.Equal("LeaseIdMissing", secondWriter.ErrorCode);

        var secondLease = await Assert.ThrowsAsync<StorageRequestException>(() => blob.AcquireLeaseAsync(TimeSpan.FromSeconds(15), cancellationToken: Ct));
        Assert.True(secondLease.IsConflict);
        Assert.Equal("LeaseAlreadyPresent", secondLease.ErrorCode);

        var wrongId = await Assert.ThrowsAsync<StorageRequestException>(() =>
            blob.SetMetadataAsync(new Dictionary<string, string> { ["a"] = "b" }, new BlobRequestConditions { LeaseId = Guid.NewGuid().ToString() }, Ct));
        Assert.True(wrongId.IsConflict || wrongId.IsPreconditionFailed);

        await blob.UploadAsync(TestData.Utf8("v2"), new BlobUploadOptions { Conditions = new BlobRequestConditions { LeaseId = lease.LeaseId } }, Ct);
        await blob.ReleaseLeaseAsync(lease.LeaseId, Ct);
        await blob.UploadAsync(TestData.Utf8("v3"), cancellationToken: Ct);
        Assert.Equal("v3", await TestData.DownloadTextAsync(blob));
    }

    [Fact]
    public async Task Renew_change_and_break_behave_as_documented()
    {
        var container = await azurite.CreateContainerAsync("lease2", cancellationToken: Ct);
        var blob = container.GetBlob("x");
        await blob.UploadAsync(TestData.Utf8("v1"), cancellationToken: Ct);
        var proposed = Guid.NewGuid().ToString();
        var lease = await blob.AcquireLeaseAsync(null, proposed, cancellationToken: Ct);
        Assert.Equal(proposed, lease.LeaseId);

        var renewed = await blob.RenewLeaseAsync(lease.LeaseId, Ct);
        Assert.Equal(lease.LeaseId, renewed.LeaseId);

        var newId = Guid.NewGuid().ToString();
        var changed = await blob.ChangeLeaseAsync(lease.LeaseId, newId, Ct);
        Assert.Equal(newId, changed.LeaseId);
        var oldIdRejected = await Assert.ThrowsAsync<StorageRequestException>(() => blob.RenewLeaseAsync(lease.LeaseId, Ct));
        Assert.True(oldIdRejected.IsConflict);

        var remaining = await blob.BreakLeaseAsync(TimeSpan.Zero, Ct);
        Assert.Equal(TimeSpan.Zero, remaining);
        Assert.Equal("broken", (await blob.GetPropertiesAsync(cancellationToken: Ct)).LeaseState);
        await blob.UploadAsync(TestData.Utf8("after break"), cancellationToken: Ct);
        var again = await blob.AcquireLeaseAsync(TimeSpan.FromSeconds(60), cancellationToken: Ct);
        await blob.ReleaseLeaseAsync(again.LeaseId, Ct);
    }

    [Fact]
    public async Task A_leased_blob_cannot_be_deleted_without_its_lease()
    {
        var container = await azurite.CreateContainerAsync("lease3", cancellationToken: Ct);
        var blob = container.GetBlob("x");
        await blob.UploadAsync(TestData.Utf8("v1"), cancellationToken: Ct);
        var lease = await blob.AcquireLeaseAsync(cancellationToken: Ct);
        var ex = await Assert.ThrowsAsync<StorageRequestException>(() => blob.DeleteAsync(cancellationToken: Ct));
        Assert.True(ex.IsPreconditionFailed);
        await blob.DeleteAsync(new BlobDeleteOptions { Conditions = new BlobRequestConditions { LeaseId = lease.LeaseId } }, Ct);
        Assert.False(await blob.ExistsAsync(Ct));
    }

    [Fact]
    public async Task Lease_durations_outside_15_to_60_seconds_are_rejected_locally()
    {
        var blob = azurite.Connection.Blobs.GetContainer("any-container").GetBlob("x");
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => blob.AcquireLeaseAsync(TimeSpan.FromSeconds(5), cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => blob.AcquireLeaseAsync(TimeSpan.FromSeconds(61), cancellationToken: Ct));
    }
}
