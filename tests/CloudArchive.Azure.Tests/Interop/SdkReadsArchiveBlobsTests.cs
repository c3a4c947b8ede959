using System.Text.Json;
using Azure.Storage.Blobs.Models;
using CloudArchive.Core.Crypto;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Azure.Tests.Interop;

/// <summary>
/// The promise of docs/encryption.md, run: an archive blob written by the real ingest is read by the official Azure
/// Storage SDK (Azure.Storage.Blobs, client-side encryption v2) given nothing but the keyring's study-key resolver, and
/// yields exactly the archived plaintext, whole and by range.
/// </summary>
public sealed class SdkReadsArchiveBlobsTests(AzuriteFixture azurite)
{
    private const int Region = CseFormat.DefaultRegionLength;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_one_region_instance_reads_back_identical_through_the_sdks_client_side_encryption()
    {
        await using var archive = await InteropArchive.CreateAsync(azurite, Ct);
        var original = InteropInstances.OneRegion();
        var name = await archive.IngestAsync(new MemoryStream(original), Ct);

        var stored = (await archive.RawArchiveBlob(name).GetPropertiesAsync(cancellationToken: Ct)).Value;
        Assert.Equal(original.Length + CseFormat.RegionOverhead, stored.ContentLength); // one region: nonce, ciphertext, tag
        using (var encryptionData = JsonDocument.Parse(stored.Metadata[CseFormat.EncryptionDataMetadataName]))
        {
            Assert.Equal("2.1", encryptionData.RootElement.GetProperty("EncryptionAgent").GetProperty("Protocol").GetString());
        }

        var sdk = (await archive.SdkDecryptingArchiveBlob(name).DownloadContentAsync(Ct)).Value.Content.ToArray();

        Assert.Equal(original, sdk);
        Assert.Equal(original, await archive.ReadWithCloudArchiveAsync(name, Ct));
    }

    [Fact]
    public async Task A_several_region_instance_reads_back_identical_through_the_sdks_client_side_encryption()
    {
        await using var archive = await InteropArchive.CreateAsync(azurite, Ct);
        var original = await InteropInstances.SeveralRegionsAsync(Ct);
        Assert.InRange(original.Length, (2 * Region) + 1, 3 * Region);
        var name = await archive.IngestAsync(new MemoryStream(original), Ct);

        var sdk = (await archive.SdkDecryptingArchiveBlob(name).DownloadContentAsync(Ct)).Value.Content.ToArray();

        Assert.Equal(original.Length, sdk.Length);
        Assert.True(original.AsSpan().SequenceEqual(sdk), "The SDK's plaintext differs from the upload.");
        var ours = await archive.ReadWithCloudArchiveAsync(name, Ct);
        Assert.True(sdk.AsSpan().SequenceEqual(ours), "The SDK and EnvelopeDecryptor disagree.");

        // Streamed, as a reader of a large instance would.
        var streamed = new MemoryStream();
        await using (var download = (await archive.SdkDecryptingArchiveBlob(name).DownloadStreamingAsync(cancellationToken: Ct)).Value.Content)
        {
            await download.CopyToAsync(streamed, Ct);
        }

        Assert.True(original.AsSpan().SequenceEqual(streamed.ToArray()), "The SDK's streamed plaintext differs from the upload.");
    }

    [Fact]
    public async Task Ranged_reads_across_region_boundaries_agree_between_the_sdk_the_archive_and_the_upload()
    {
        await using var archive = await InteropArchive.CreateAsync(azurite, Ct);
        var original = await InteropInstances.SeveralRegionsAsync(Ct);
        var name = await archive.IngestAsync(new MemoryStream(original), Ct);
        var sdkBlob = archive.SdkDecryptingArchiveBlob(name);
        (long Offset, long Length)[] ranges =
        [
            (Region - 100, 200),                          // across the first boundary
            ((2L * Region) - 1, 2),                       // the last byte of region 1 and the first of region 2
            (Region - 1, Region + 2),                     // a whole region and a byte either side
            (0, Region + 1),                              // the first region and one byte more
            ((2L * Region) - 10, original.Length - (2L * Region) + 10), // into the short last region, to the end
            (original.Length - 7, 7),                     // the tail
        ];

        foreach (var (offset, length) in ranges)
        {
            var expected = original.AsSpan((int)offset, (int)length).ToArray();
            var download = (await sdkBlob.DownloadStreamingAsync(new BlobDownloadOptions { Range = new global::Azure.HttpRange(offset, length) }, Ct)).Value;
            var sdk = new MemoryStream();
            await using (download.Content)
            {
                await download.Content.CopyToAsync(sdk, Ct);
            }

            var ours = await archive.ReadRangeWithCloudArchiveAsync(name, offset, length, Ct);
            Assert.True(expected.AsSpan().SequenceEqual(sdk.ToArray()), $"SDK range {offset}+{length} differs from the upload.");
            Assert.True(expected.AsSpan().SequenceEqual(ours), $"Archive range {offset}+{length} differs from the upload.");
        }
    }
}
