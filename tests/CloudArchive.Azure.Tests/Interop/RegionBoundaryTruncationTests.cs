using System.Globalization;
using Azure.Storage.Blobs.Models;
using CloudArchive.Core.Crypto;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Azure.Tests.Interop;

/// <summary>
/// Why <c>ca_plainlength</c> and <c>ca_envelopemac</c> exist: an archive blob rewritten without its last region still
/// satisfies every GCM tag, and the official SDK returns the shorter plaintext without a word. CloudArchive's reader
/// refuses it, and still refuses it when <c>ca_plainlength</c> is rewritten to match.
/// </summary>
public sealed class RegionBoundaryTruncationTests(AzuriteFixture azurite)
{
    private const int Region = CseFormat.DefaultRegionLength;
    private const long RegionCipher = Region + CseFormat.RegionOverhead;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_blob_cut_at_a_region_boundary_reads_short_and_silently_with_the_sdk_and_is_refused_by_cloudarchive()
    {
        await using var archive = await InteropArchive.CreateAsync(azurite, Ct);
        var original = await InteropInstances.SeveralRegionsAsync(Ct);
        var name = await archive.IngestAsync(new MemoryStream(original), Ct);
        var raw = archive.RawArchiveBlob(name);
        var stored = (await raw.DownloadContentAsync(Ct)).Value;
        var metadata = new Dictionary<string, string>(stored.Details.Metadata);
        var cipher = stored.Content.ToMemory();
        var regions = (cipher.Length + RegionCipher - 1) / RegionCipher;
        Assert.Equal(3, regions);

        // Someone with write access to the container (not to the keys) drops the last region and keeps the metadata.
        await raw.UploadAsync(BinaryData.FromBytes(cipher[..(int)((regions - 1) * RegionCipher)]), new BlobUploadOptions { Metadata = metadata }, Ct);

        var sdk = (await archive.SdkDecryptingArchiveBlob(name).DownloadContentAsync(Ct)).Value.Content.ToArray();
        Assert.Equal((regions - 1) * Region, sdk.Length); // 8,388,608 of the upload's bytes, and no error
        Assert.True(original.AsSpan(0, sdk.Length).SequenceEqual(sdk));
        Assert.Equal(original.Length.ToString(CultureInfo.InvariantCulture), metadata[CseFormat.PlainLengthMetadataName]); // the only trace, which the SDK ignores

        Assert.Equal(EnvelopeFailureReason.Truncated, (await ReadFailsAsync(archive, name)).Reason);
        Assert.Equal(EnvelopeFailureReason.Truncated, (await DecryptorFailsAsync(archive, name)).Reason);

        // And with the length rewritten to match the cut, which the envelope MAC binds.
        metadata[CseFormat.PlainLengthMetadataName] = sdk.Length.ToString(CultureInfo.InvariantCulture);
        await raw.SetMetadataAsync(metadata, cancellationToken: Ct);

        Assert.Equal(sdk, (await archive.SdkDecryptingArchiveBlob(name).DownloadContentAsync(Ct)).Value.Content.ToArray());
        Assert.Equal(EnvelopeFailureReason.MetadataTampered, (await ReadFailsAsync(archive, name)).Reason);
        Assert.Equal(EnvelopeFailureReason.MetadataTampered, (await DecryptorFailsAsync(archive, name)).Reason);
        var ranged = await Assert.ThrowsAsync<EnvelopeDecryptionException>(() => archive.ReadRangeWithCloudArchiveAsync(name, Region - 10, 20, Ct));
        Assert.Equal(EnvelopeFailureReason.MetadataTampered, ranged.Reason);
    }

    /// <summary>The archive read path: the composed archive store, then <see cref="EnvelopeDecryptor"/>.</summary>
    private static Task<EnvelopeDecryptionException> ReadFailsAsync(InteropArchive archive, string name) =>
        Assert.ThrowsAsync<EnvelopeDecryptionException>(() => archive.ReadWithCloudArchiveAsync(name, Ct));

    /// <summary><see cref="EnvelopeDecryptor"/> over what the SDK downloads as stored: the body and its metadata.</summary>
    private static async Task<EnvelopeDecryptionException> DecryptorFailsAsync(InteropArchive archive, string name)
    {
        var stored = (await archive.RawArchiveBlob(name).DownloadStreamingAsync(cancellationToken: Ct)).Value;
        await using (stored.Content)
        {
            return await Assert.ThrowsAsync<EnvelopeDecryptionException>(async () =>
            {
                await using var plain = await new EnvelopeDecryptor(archive.Keyring.StudyKeyResolver).OpenReadAsync(
                    stored.Content,
                    new Dictionary<string, string>(stored.Details.Metadata),
                    name,
                    stored.Details.ContentLength,
                    leaveOpen: true,
                    cancellationToken: Ct);
                await plain.CopyToAsync(Stream.Null, Ct);
            });
        }
    }
}
