using System.Security.Cryptography;
using CloudArchive.Azure.Ingest;
using CloudArchive.Azure.Storage;
using CloudArchive.Core.Archive;
using CloudArchive.Testing;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Azure.Tests.Ingest;

/// <summary>
/// The ingest verifies a one-request write from the service's hash of what it committed, so the store must report that
/// hash for a Put Blob, and only then; and a maximal sealed index record must fit in the blob's metadata.
/// </summary>
public sealed class BlobArchiveStoreWriteReceiptTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_one_request_write_reports_the_services_md5_of_the_committed_content_and_keeps_a_maximal_sealed_index()
    {
        var store = await NewStoreAsync();
        const long length = 300_000;
        var metadata = new Dictionary<string, string>
        {
            ["encryptiondata"] = new string('e', 600),
            [InstanceIndex.SealedMetadataName] = new string('A', InstanceIndex.MaxSealedChars),
            [InstanceIndex.SealedEncryptionMetadataName] = new string('d', 600),
            [InstanceIndex.SealedLengthMetadataName] = "3000",
            [ArchiveMetadata.UploadLength] = "300000",
            [ArchiveMetadata.SourceMac] = new string('a', 64),
        };
        var trailing = new Dictionary<string, string> { [ArchiveMetadata.UploadMac] = new string('b', 64), [ArchiveMetadata.PlainMac] = new string('c', 64) };

        var result = await store.TryCreateStreamingAsync("studies/s/i.dcm.enc", new GeneratedStream(length, seed: 5), metadata, () => trailing, new Dictionary<string, string> { ["ca_study"] = "s" }, Ct);

        Assert.True(result.Created);
        var expected = Convert.ToBase64String(MD5.HashData(await ReadAllAsync(new GeneratedStream(length, seed: 5))));
        Assert.Equal(expected, result.ContentMd5);
        var info = await store.GetInfoAsync("studies/s/i.dcm.enc", Ct);
        Assert.NotNull(info);
        Assert.Equal(InstanceIndex.MaxSealedChars, info.Metadata[InstanceIndex.SealedMetadataName].Length);
        Assert.Equal(new string('c', 64), info.Metadata[ArchiveMetadata.PlainMac]);

        var again = await store.TryCreateStreamingAsync("studies/s/i.dcm.enc", new GeneratedStream(10), metadata, () => trailing, new Dictionary<string, string>(), Ct);
        Assert.False(again.Created);
        Assert.Null(again.ContentMd5);
    }

    [Fact]
    public async Task A_write_committed_from_staged_blocks_reports_no_content_hash()
    {
        var store = await NewStoreAsync();

        var result = await store.TryCreateStreamingAsync("studies/s/large.dcm.enc", new GeneratedStream((8 * 1024 * 1024) + 1, seed: 6), new Dictionary<string, string>(), () => new Dictionary<string, string>(), new Dictionary<string, string>(), Ct);

        Assert.True(result.Created);
        Assert.Null(result.ContentMd5);
    }

    [Fact]
    public async Task Removing_metadata_entries_keeps_the_others_and_tolerates_missing_blobs()
    {
        var store = await NewStoreAsync();
        await store.TryCreateAsync("studies/s/m.dcm.enc", new MemoryStream([1, 2]), new Dictionary<string, string> { ["keep"] = "1", [InstanceIndex.SealedMetadataName] = "x" }, new Dictionary<string, string>(), Ct);

        await store.RemoveMetadataAsync("studies/s/m.dcm.enc", [InstanceIndex.SealedMetadataName, "absent"], Ct);
        await store.RemoveMetadataAsync("studies/s/missing.dcm.enc", [InstanceIndex.SealedMetadataName], Ct);

        var info = await store.GetInfoAsync("studies/s/m.dcm.enc", Ct);
        Assert.NotNull(info);
        Assert.Equal(["keep"], info.Metadata.Keys);
        Assert.True(await store.DeleteIfExistsAsync("studies/s/m.dcm.enc", Ct));
        Assert.False(await store.DeleteIfExistsAsync("studies/s/m.dcm.enc", Ct));
    }

    private async Task<IArchiveStore> NewStoreAsync()
    {
        var container = await azurite.CreateContainerAsync("rc", cancellationToken: Ct);
        return new BlobArchiveStore(container, new StorageOptions());
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, Ct);
        return buffer.ToArray();
    }
}
