using System.Security.Cryptography;
using CloudArchive.Core.Crypto;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Azure.Tests.Interop;

/// <summary>
/// The reverse direction: a blob the official SDK encrypts under a study key (protocol 2.0, the SDK's own nonce layout)
/// is read by <see cref="EnvelopeDecryptor"/> once the CloudArchive-only metadata is explicitly not required.
/// </summary>
public sealed class CloudArchiveReadsSdkBlobsTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_blob_written_by_the_sdk_reads_with_the_cloudarchive_only_metadata_relaxed_and_is_refused_without()
    {
        await using var archive = await InteropArchive.CreateAsync(azurite, Ct);
        const string name = "studies/sdkwrittenstudyaaaaaaaaaaa/sdkwritteninstanceaaaaaaaa.dcm.enc";
        var plain = RandomNumberGenerator.GetBytes((5 * 1024 * 1024) + 17);
        using (var studyKey = await archive.Keyring.GetOrCreateStudyKeyAsync("sdkwrittenstudyaaaaaaaaaaa", Ct))
        {
            await archive.SdkEncryptingArchiveBlob(name, studyKey).UploadAsync(BinaryData.FromBytes(plain), Ct);
        }

        var relaxed = new EnvelopeDecryptionOptions { RequirePlainLength = false, RequireEnvelopeMac = false };
        var read = await ReadAsync(archive, name, relaxed);
        Assert.True(plain.AsSpan().SequenceEqual(read), "EnvelopeDecryptor's plaintext differs from what the SDK encrypted.");

        var strict = await Assert.ThrowsAsync<EnvelopeDecryptionException>(() => ReadAsync(archive, name, null));
        Assert.Equal(EnvelopeFailureReason.MissingMetadata, strict.Reason);
    }

    private static async Task<byte[]> ReadAsync(InteropArchive archive, string name, EnvelopeDecryptionOptions? options)
    {
        var stored = (await archive.RawArchiveBlob(name).DownloadStreamingAsync(cancellationToken: Ct)).Value;
        await using (stored.Content)
        {
            await using var plain = await new EnvelopeDecryptor(archive.Keyring.StudyKeyResolver, options).OpenReadAsync(
                stored.Content,
                new Dictionary<string, string>(stored.Details.Metadata),
                name,
                stored.Details.ContentLength,
                leaveOpen: true,
                cancellationToken: Ct);
            var output = new MemoryStream();
            await plain.CopyToAsync(output, Ct);
            return output.ToArray();
        }
    }
}
