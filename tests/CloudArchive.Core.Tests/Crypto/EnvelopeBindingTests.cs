using System.Globalization;
using CloudArchive.Core.Crypto;
using CloudArchive.Dicom;
using Xunit;

namespace CloudArchive.Core.Tests.Crypto;

/// <summary>
/// <c>ca_envelopemac</c>: the metadata GCM cannot see (plaintext length, <c>encryptiondata</c>, the blob's name) is
/// bound to the content key, and a read refuses a blob whose binding does not hold before releasing any byte.
/// </summary>
public sealed class EnvelopeBindingTests
{
    private const int Region = 64;
    private const int RegionCipher = Region + 28;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Decimal(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The finding as reproduced: cut the last region, lower <c>ca_plainlength</c> to match.</summary>
    private static (byte[] Blob, Dictionary<string, string> Metadata) CutLastRegionAndRewriteLength(byte[] blob, IReadOnlyDictionary<string, string> metadata, int regions)
    {
        var cut = blob[..((regions - 1) * RegionCipher)];
        var edited = new Dictionary<string, string>(metadata) { [CseFormat.PlainLengthMetadataName] = Decimal((regions - 1) * Region) };
        return (cut, edited);
    }

    private static async Task<EnvelopeDecryptionException> ReadFailsAsync(byte[] blob, IReadOnlyDictionary<string, string> metadata, SymmetricKeyEncryptionKey key, bool passLength = true, string blobName = Cse.BlobName) =>
        await Assert.ThrowsAsync<EnvelopeDecryptionException>(() => Cse.DecryptAsync(blob, metadata, new DictionaryKeyResolver(key), passLength, blobName: blobName));

    /// <summary>A ranged read that must fail before it fetches anything.</summary>
    private static async Task<EnvelopeDecryptionException> RangeFailsAsync(byte[] blob, IReadOnlyDictionary<string, string> metadata, SymmetricKeyEncryptionKey key, string blobName = Cse.BlobName)
    {
        var decryptor = new EnvelopeDecryptor(new DictionaryKeyResolver(key));
        return await Assert.ThrowsAsync<EnvelopeDecryptionException>(() => decryptor.OpenRangeAsync(
            (_, _, _) => throw new InvalidOperationException("The range was fetched although the metadata does not verify."),
            blob.Length,
            metadata,
            blobName,
            0,
            Region + 1,
            Ct));
    }

    [Fact]
    public async Task A_blob_cut_at_a_region_boundary_with_its_plain_length_rewritten_is_refused_as_metadata_tampering()
    {
        using var key = TestKeys.NewStudyKey();
        var (blob, md) = await Cse.EncryptAsync(TestKeys.Data(3 * Region), key, Region);
        var (cut, edited) = CutLastRegionAndRewriteLength(blob, md, regions: 3);

        // Lengths, nonces and every remaining GCM tag agree with each other: only the MAC can tell.
        foreach (var passLength in new[] { true, false })
        {
            Assert.Equal(EnvelopeFailureReason.MetadataTampered, (await ReadFailsAsync(cut, edited, key, passLength)).Reason);
        }

        Assert.Equal(EnvelopeFailureReason.MetadataTampered, (await RangeFailsAsync(cut, edited, key)).Reason);
    }

    [Fact]
    public async Task The_refusal_comes_before_a_single_ciphertext_byte_is_read()
    {
        using var key = TestKeys.NewStudyKey();
        var (blob, md) = await Cse.EncryptAsync(TestKeys.Data(3 * Region), key, Region);
        var (_, edited) = CutLastRegionAndRewriteLength(blob, md, regions: 3);
        var decryptor = new EnvelopeDecryptor(new DictionaryKeyResolver(key));

        var ex = await Assert.ThrowsAsync<EnvelopeDecryptionException>(() => decryptor.OpenReadAsync(new UnreadableStream(), edited, Cse.BlobName, cancellationToken: Ct));

        Assert.Equal(EnvelopeFailureReason.MetadataTampered, ex.Reason);
        Assert.Equal(key.KeyId, ex.KeyId);
    }

    [Fact]
    public async Task The_same_content_and_metadata_under_another_name_are_refused()
    {
        using var key = TestKeys.NewStudyKey();
        var plain = TestKeys.Data((2 * Region) + 5);
        var (blob, md) = await Cse.EncryptAsync(plain, key, Region, blobName: "studies/s/a.dcm.enc");
        Assert.Equal(plain, await Cse.DecryptAsync(blob, md, new DictionaryKeyResolver(key), blobName: "studies/s/a.dcm.enc"));

        foreach (var other in new[] { "studies/s/b.dcm.enc", "studies/s/a.dcm.enc ", "STUDIES/s/a.dcm.enc", "index/s/a.json.enc" })
        {
            Assert.Equal(EnvelopeFailureReason.MetadataTampered, (await ReadFailsAsync(blob, md, key, blobName: other)).Reason);
            Assert.Equal(EnvelopeFailureReason.MetadataTampered, (await RangeFailsAsync(blob, md, key, other)).Reason);
        }
    }

    [Theory]
    [InlineData("\"EncryptionLibrary\":\"CloudArchive .NET", "\"EncryptionLibrary\":\"Someone else")]
    [InlineData("{\"EncryptionMode\"", "{ \"EncryptionMode\"")]
    [InlineData("\"DataLength\":64", "\"DataLength\":32")]
    [InlineData("\"DataLength\":64", "\"DataLength\":128")]
    public async Task Edited_encryptiondata_is_refused(string from, string to)
    {
        using var key = TestKeys.NewStudyKey();
        var (blob, md) = await Cse.EncryptAsync(TestKeys.Data(4 * Region), key, Region);
        var json = md[CseFormat.EncryptionDataMetadataName];
        Assert.Contains(from, json, StringComparison.Ordinal);
        var edited = new Dictionary<string, string>(md) { [CseFormat.EncryptionDataMetadataName] = json.Replace(from, to, StringComparison.Ordinal) };

        // With the ciphertext length known, a changed region size may already disagree with it; without it, only the
        // MAC stands between the edit and the reader.
        Assert.Equal(EnvelopeFailureReason.MetadataTampered, (await ReadFailsAsync(blob, edited, key, passLength: false)).Reason);
        Assert.Contains((await ReadFailsAsync(blob, edited, key, passLength: true)).Reason, new[] { EnvelopeFailureReason.MetadataTampered, EnvelopeFailureReason.Truncated, EnvelopeFailureReason.TrailingData });
    }

    [Fact]
    public async Task Metadata_moved_from_another_blob_of_the_same_study_is_refused()
    {
        using var key = TestKeys.NewStudyKey();
        var (a, _) = await Cse.EncryptAsync(TestKeys.Data(100, 1), key, Region, blobName: "studies/s/a.dcm.enc");
        var (_, mdB) = await Cse.EncryptAsync(TestKeys.Data(100, 2), key, Region, blobName: "studies/s/b.dcm.enc");

        Assert.Equal(EnvelopeFailureReason.MetadataTampered, (await ReadFailsAsync(a, mdB, key, blobName: "studies/s/a.dcm.enc")).Reason);
    }

    [Fact]
    public async Task A_missing_envelope_mac_is_missing_metadata_unless_explicitly_allowed()
    {
        using var key = TestKeys.NewStudyKey();
        var plain = TestKeys.Data(3 * Region);
        var (blob, md) = await Cse.EncryptAsync(plain, key, Region);
        var stripped = md.Where(p => p.Key != CseFormat.EnvelopeMacMetadataName).ToDictionary(p => p.Key, p => p.Value);

        var ex = await ReadFailsAsync(blob, stripped, key);
        Assert.Equal(EnvelopeFailureReason.MissingMetadata, ex.Reason);
        Assert.Contains("ca_envelopemac", ex.Message, StringComparison.Ordinal);
        Assert.Equal(EnvelopeFailureReason.MissingMetadata, (await RangeFailsAsync(blob, stripped, key)).Reason);

        // A blob written by another tool has no MAC; reading it is an explicit choice.
        var foreign = new EnvelopeDecryptionOptions { RequireEnvelopeMac = false };
        Assert.Equal(plain, await Cse.DecryptAsync(blob, stripped, new DictionaryKeyResolver(key), options: foreign));
    }

    [Fact]
    public async Task A_mac_that_is_present_is_verified_even_when_not_required()
    {
        using var key = TestKeys.NewStudyKey();
        var (blob, md) = await Cse.EncryptAsync(TestKeys.Data(3 * Region), key, Region);
        var (cut, edited) = CutLastRegionAndRewriteLength(blob, md, regions: 3);
        var relaxed = new EnvelopeDecryptionOptions { RequireEnvelopeMac = false };

        var ex = await Assert.ThrowsAsync<EnvelopeDecryptionException>(() => Cse.DecryptAsync(cut, edited, new DictionaryKeyResolver(key), options: relaxed));

        Assert.Equal(EnvelopeFailureReason.MetadataTampered, ex.Reason);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("")]
    [InlineData("AAAA")]
    public async Task A_malformed_envelope_mac_is_metadata_tampering(string value)
    {
        using var key = TestKeys.NewStudyKey();
        var (blob, md) = await Cse.EncryptAsync(TestKeys.Data(100), key, Region);
        var edited = new Dictionary<string, string>(md) { [CseFormat.EnvelopeMacMetadataName] = value };

        Assert.Equal(EnvelopeFailureReason.MetadataTampered, (await ReadFailsAsync(blob, edited, key)).Reason);
    }

    [Fact]
    public async Task The_metadata_is_final_only_for_a_name_and_only_while_the_stream_is_open()
    {
        using var key = TestKeys.NewStudyKey();
        var encryptor = new EnvelopeEncryptor(new EnvelopeEncryptionOptions { RegionLength = Region });
        var enc = await encryptor.EncryptAsync(new MemoryStream(TestKeys.Data(10)), key, cancellationToken: Ct);
        Assert.Throws<ArgumentException>(() => enc.GetMetadata(string.Empty));
        Assert.NotEqual(enc.GetMetadata("a")[CseFormat.EnvelopeMacMetadataName], enc.GetMetadata("b")[CseFormat.EnvelopeMacMetadataName]);
        await enc.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => enc.GetMetadata("a"));
    }

    /// <summary>
    /// The example of docs/encryption.md ("Envelope binding"), computed there with Python's <c>hmac</c>/<c>hashlib</c>
    /// (HKDF written out by hand), so a third party can check an implementation against it.
    /// </summary>
    [Fact]
    public void The_documented_example_vector_holds()
    {
        var cek = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        const string name = "studies/abcdefghijklmnopqrstuvwxyz/abcdefghijklmnopqrstuvwxyz.dcm.enc";
        const string json = """{"EncryptionMode":"FullBlob","WrappedContentKey":{"KeyId":"urn:cloudarchive:study:abcdefghijklmnopqrstuvwxyz","EncryptedKey":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","Algorithm":"A256KW"},"EncryptionAgent":{"Protocol":"2.1","EncryptionAlgorithm":"AES_GCM_256"},"EncryptedRegionInfo":{"DataLength":4194304,"NonceLength":12},"KeyWrappingMetadata":{"EncryptionLibrary":"CloudArchive .NET 0.1.0"}}""";

        var macKey = EnvelopeBinding.DeriveKey(cek);

        Assert.Equal("cd7b00d1aa110fa6be95a13b3c617ffc6493ecd773b33401fed5730caebb16a0", Convert.ToHexStringLower(macKey));
        Assert.Equal("TyU+gylcbTKWX0gB5R5Af5JGvShklPC/AWGtvnyZcA8=", EnvelopeBinding.Compute(macKey, name, 9_437_918, json));
    }

    /// <summary>Fails any read: proves a refusal happened before the body was touched.</summary>
    private sealed class UnreadableStream : ReadOnlyStream
    {
        public override int Read(Span<byte> buffer) => throw Touched();

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => throw Touched();

        private static InvalidOperationException Touched() => new("The body was read although the metadata does not verify.");
    }
}
