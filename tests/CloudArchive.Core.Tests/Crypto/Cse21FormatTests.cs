using System.Text.Json;
using CloudArchive.Core.Crypto;
using Xunit;

namespace CloudArchive.Core.Tests.Crypto;

public sealed class Cse21FormatTests
{
    [Theory]
    [InlineData(0, 64)]
    [InlineData(1, 64)]
    [InlineData(64, 64)]
    [InlineData(65, 64)]
    [InlineData(1000, 64)]
    [InlineData(3 * 1024 * 1024, 1024 * 1024)]
    public async Task Independent_AesGcm_code_decrypts_our_ciphertext(int length, int region)
    {
        var raw = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        using var key = new SymmetricKeyEncryptionKey("urn:test:study:1", raw);
        var plain = TestKeys.Data(length);
        var (blob, md) = await Cse.EncryptAsync(plain, key, region);
        Assert.Equal(CseFormat.CiphertextLength(length, region), blob.Length);
        Assert.Equal(plain, IndependentCse21.Decrypt(blob, md, raw));
    }

    [Theory]
    [InlineData(0, 64)]
    [InlineData(63, 64)]
    [InlineData(128, 64)]
    [InlineData(5 * 1024 * 1024, 4 * 1024 * 1024)]
    public async Task Our_decryptor_reads_a_blob_built_independently(int length, int region)
    {
        var raw = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        using var key = new SymmetricKeyEncryptionKey("urn:test:independent", raw);
        var plain = TestKeys.Data(length, 7);
        var (blob, md) = IndependentCse21.Encrypt(plain, raw, key.KeyId, region);
        Assert.Equal(plain, await Cse.DecryptAsync(blob, md, new DictionaryKeyResolver(key)));
        Assert.Equal(plain, await Cse.DecryptAsync(blob, md, new DictionaryKeyResolver(key), passLength: false));
    }

    [Fact]
    public async Task Encryptiondata_json_has_the_sdk_shape_and_order()
    {
        using var key = TestKeys.NewStudyKey("urn:cloudarchive:study:ABC");
        var (_, md) = await Cse.EncryptAsync(TestKeys.Data(10), key, CseFormat.DefaultRegionLength);
        var json = md["encryptiondata"];
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal(
            ["EncryptionMode", "WrappedContentKey", "EncryptionAgent", "EncryptedRegionInfo", "KeyWrappingMetadata"],
            root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("FullBlob", root.GetProperty("EncryptionMode").GetString());
        var wck = root.GetProperty("WrappedContentKey");
        Assert.Equal(["KeyId", "EncryptedKey", "Algorithm"], wck.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("urn:cloudarchive:study:ABC", wck.GetProperty("KeyId").GetString());
        Assert.Equal("A256KW", wck.GetProperty("Algorithm").GetString());
        Assert.Equal(48, Convert.FromBase64String(wck.GetProperty("EncryptedKey").GetString()!).Length);
        Assert.Equal("2.1", root.GetProperty("EncryptionAgent").GetProperty("Protocol").GetString());
        Assert.Equal("AES_GCM_256", root.GetProperty("EncryptionAgent").GetProperty("EncryptionAlgorithm").GetString());
        Assert.Equal(4194304, root.GetProperty("EncryptedRegionInfo").GetProperty("DataLength").GetInt32());
        Assert.Equal(12, root.GetProperty("EncryptedRegionInfo").GetProperty("NonceLength").GetInt32());
        Assert.Equal("10", md["ca_plainlength"]);
    }

    [Fact]
    public async Task Nonces_are_big_endian_region_index_then_four_zero_bytes()
    {
        using var key = TestKeys.NewStudyKey();
        var (blob, _) = await Cse.EncryptAsync(TestKeys.Data(300), key, 64);
        for (int i = 0; i < 5; i++)
        {
            var nonce = blob.AsSpan(i * 92, 12).ToArray();
            Assert.Equal(Convert.FromHexString($"{i:X16}00000000"), nonce);
        }
    }

    [Fact]
    public async Task Each_blob_gets_a_fresh_content_key()
    {
        using var key = TestKeys.NewStudyKey();
        var plain = TestKeys.Data(100);
        var (a, mda) = await Cse.EncryptAsync(plain, key, 64);
        var (b, mdb) = await Cse.EncryptAsync(plain, key, 64);
        Assert.NotEqual(a, b);
        Assert.NotEqual(mda["encryptiondata"], mdb["encryptiondata"]);
    }

    [Fact]
    public async Task A_non_seekable_source_streams_and_finalizes_metadata_at_the_end()
    {
        using var key = TestKeys.NewStudyKey();
        var plain = TestKeys.Data(1000);
        var encryptor = new EnvelopeEncryptor(new EnvelopeEncryptionOptions { RegionLength = 128 });
        await using var enc = await encryptor.EncryptAsync(new NonSeekableStream(new MemoryStream(plain)), key, cancellationToken: TestContext.Current.CancellationToken);
        Assert.False(enc.IsMetadataFinal);
        Assert.Throws<InvalidOperationException>(() => enc.GetMetadata(Cse.BlobName));
        Assert.Throws<NotSupportedException>(() => enc.Length);
        var output = new MemoryStream();
        await enc.CopyToAsync(output, TestContext.Current.CancellationToken);
        Assert.True(enc.IsMetadataFinal);
        Assert.Equal("1000", enc.GetMetadata(Cse.BlobName)["ca_plainlength"]);
        Assert.Equal(plain, await Cse.DecryptAsync(output.ToArray(), enc.GetMetadata(Cse.BlobName), new DictionaryKeyResolver(key)));
    }

    [Fact]
    public async Task A_seekable_source_knows_its_ciphertext_length_up_front()
    {
        using var key = TestKeys.NewStudyKey();
        var encryptor = new EnvelopeEncryptor(new EnvelopeEncryptionOptions { RegionLength = 100 });
        await using var enc = await encryptor.EncryptAsync(new MemoryStream(new byte[250]), key, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(enc.IsMetadataFinal);
        Assert.Equal(250 + (3 * 28), enc.Length);
    }

    [Fact]
    public async Task Synchronous_reads_produce_the_same_format()
    {
        var raw = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        using var key = new SymmetricKeyEncryptionKey("urn:test:study:1", raw);
        var plain = TestKeys.Data(777);
        var encryptor = new EnvelopeEncryptor(new EnvelopeEncryptionOptions { RegionLength = 100 });
        using var enc = await encryptor.EncryptAsync(new MemoryStream(plain), key, cancellationToken: TestContext.Current.CancellationToken);
        var output = new MemoryStream();
        enc.CopyTo(output);
        var decryptor = new EnvelopeDecryptor(new DictionaryKeyResolver(key));
        using var dec = await decryptor.OpenReadAsync(new MemoryStream(output.ToArray()), enc.GetMetadata(Cse.BlobName), Cse.BlobName, output.Length, cancellationToken: TestContext.Current.CancellationToken);
        var back = new MemoryStream();
        dec.CopyTo(back);
        Assert.Equal(plain, back.ToArray());
        Assert.Equal(plain, IndependentCse21.Decrypt(output.ToArray(), enc.GetMetadata(Cse.BlobName), raw));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(1024 * 1024 * 1024 + 1)]
    public void Region_lengths_outside_the_sdk_range_are_rejected(int region)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EnvelopeEncryptor(new EnvelopeEncryptionOptions { RegionLength = region }));
    }

    [Fact]
    public async Task A_declared_length_makes_metadata_final_up_front_for_a_non_seekable_source()
    {
        using var key = TestKeys.NewStudyKey();
        var plain = TestKeys.Data(500);
        var encryptor = new EnvelopeEncryptor(new EnvelopeEncryptionOptions { RegionLength = 128 });
        await using var enc = await encryptor.EncryptAsync(new NonSeekableStream(new MemoryStream(plain)), key, plainLength: 500, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(enc.IsMetadataFinal);
        Assert.Equal(CseFormat.CiphertextLength(500, 128), enc.Length);
        var output = new MemoryStream();
        await enc.CopyToAsync(output, TestContext.Current.CancellationToken);
        Assert.Equal(plain, await Cse.DecryptAsync(output.ToArray(), enc.GetMetadata(Cse.BlobName), new DictionaryKeyResolver(key)));
    }

    [Theory]
    [InlineData(499)]
    [InlineData(501)]
    [InlineData(640)]
    public async Task A_source_that_does_not_deliver_its_declared_length_fails_the_upload(long declared)
    {
        using var key = TestKeys.NewStudyKey();
        var encryptor = new EnvelopeEncryptor(new EnvelopeEncryptionOptions { RegionLength = 128 });
        await using var enc = await encryptor.EncryptAsync(new NonSeekableStream(new MemoryStream(TestKeys.Data(500))), key, plainLength: declared, cancellationToken: TestContext.Current.CancellationToken);
        await Assert.ThrowsAsync<IOException>(() => enc.CopyToAsync(Stream.Null, TestContext.Current.CancellationToken));
    }
}
