using CloudArchive.Azure.Lifecycle;
using CloudArchive.Core.Lifecycle.Fixity;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Azure.Tests.Lifecycle;

/// <summary>The fixity records in <c>control</c> against Azurite: the cursor is a compare-and-swap, findings are create-only.</summary>
public sealed class BlobFixityStoreTests : IClassFixture<AzuriteFixture>
{
    private readonly AzuriteFixture _azurite;

    public BlobFixityStoreTests(AzuriteFixture azurite) => _azurite = azurite;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_cursor_moves_only_from_the_version_read_so_two_overlapping_sweeps_cannot_both_move_it()
    {
        var store = await NewStoreAsync();
        var start = FixityState.Start(new DateTimeOffset(2026, 12, 1, 2, 30, 0, TimeSpan.Zero));
        Assert.Null(await store.GetStateAsync(Ct));

        var first = await store.TrySaveStateAsync(start, null, Ct);
        Assert.NotNull(first);
        Assert.Null(await store.TrySaveStateAsync(start, null, Ct)); // a second "first run" loses

        var moved = await store.TrySaveStateAsync(start with { NextBucket = 12, Verified = 40, LastRun = start.CycleStarted }, first, Ct);
        Assert.NotNull(moved);
        Assert.Null(await store.TrySaveStateAsync(start with { NextBucket = 13 }, first, Ct)); // stale ETag
        var (state, etag) = (await store.GetStateAsync(Ct))!.Value;
        Assert.Equal(moved, etag);
        Assert.Equal(start with { NextBucket = 12, Verified = 40, LastRun = start.CycleStarted }, state);
    }

    [Fact]
    public async Task A_finding_is_created_once_listed_until_removed_and_a_bucket_record_round_trips()
    {
        var store = await NewStoreAsync();
        var blob = "studies/abcdefghijklmnopqrstuvwxyz/234567abcdefghijklmnopqrst.dcm.enc";
        var finding = new FixityFinding(blob, "tampered", new DateTimeOffset(2026, 12, 1, 2, 31, 0, TimeSpan.Zero), 1);

        Assert.True(await store.TryAddFindingAsync(finding, Ct));
        Assert.False(await store.TryAddFindingAsync(finding with { Problem = "truncated" }, Ct));
        var listed = new List<FixityFinding>();
        await foreach (var f in store.ListFindingsAsync(Ct))
        {
            listed.Add(f);
        }

        Assert.Equal(finding, Assert.Single(listed));
        Assert.True(await store.RemoveFindingAsync(blob, Ct));
        Assert.False(await store.RemoveFindingAsync(blob, Ct));

        var record = new FixityBucketRecord(1, 300, FixityKeySpace.Prefix(300), finding.DetectedAt, [new FixityResult(blob, FixityOutcome.Failed, "tampered"), new FixityResult(blob.Replace("abc", "abd", StringComparison.Ordinal), FixityOutcome.Intact)]);
        await store.WriteBucketAsync(record, Ct);
        var read = await store.GetBucketAsync(1, 300, Ct);
        Assert.NotNull(read);
        Assert.Equal(record.Results, read.Results);
        Assert.Equal(record.Prefix, read.Prefix);
        Assert.Null(await store.GetBucketAsync(2, 300, Ct));
    }

    private async Task<BlobFixityStore> NewStoreAsync()
    {
        var control = _azurite.Connection.Blobs.GetBlobContainerClient(AzuriteFixture.UniqueName("co"));
        await control.CreateIfNotExistsAsync(cancellationToken: Ct);
        return new BlobFixityStore(control);
    }
}
