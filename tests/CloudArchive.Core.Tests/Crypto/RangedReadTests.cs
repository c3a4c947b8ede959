using CloudArchive.Core.Crypto;
using Xunit;

namespace CloudArchive.Core.Tests.Crypto;

public sealed class RangedReadTests
{
    private const int Region = 100;
    private const int RegionCipher = Region + 28;

    [Theory]
    [InlineData(0, 1)]
    [InlineData(0, 100)]
    [InlineData(99, 2)]
    [InlineData(150, 300)]
    [InlineData(400, 50)]
    [InlineData(449, 1)]
    [InlineData(450, 0)]
    [InlineData(0, 450)]
    [InlineData(120, null)]
    public async Task A_range_decrypts_only_the_covering_regions(int offset, int? length)
    {
        using var key = TestKeys.NewStudyKey();
        var plain = TestKeys.Data(450);
        var (blob, md) = await Cse.EncryptAsync(plain, key, Region);
        var requests = new List<(long Offset, long Length)>();
        CiphertextRangeSource source = (o, l, _) =>
        {
            requests.Add((o, l));
            return Task.FromResult<Stream>(new NonSeekableStream(new MemoryStream(blob, (int)o, (int)l)));
        };
        var decryptor = new EnvelopeDecryptor(new DictionaryKeyResolver(key));
        await using var stream = await decryptor.OpenRangeAsync(source, blob.Length, md, Cse.BlobName, offset, length, TestContext.Current.CancellationToken);
        var output = new MemoryStream();
        await stream.CopyToAsync(output, TestContext.Current.CancellationToken);
        int expectedLength = Math.Min(length ?? int.MaxValue, 450 - offset);
        Assert.Equal(plain.AsSpan(offset, expectedLength).ToArray(), output.ToArray());
        if (expectedLength == 0)
        {
            Assert.Empty(requests);
            return;
        }

        var (o, l) = Assert.Single(requests);
        long first = offset / Region;
        long last = (offset + expectedLength - 1) / Region;
        Assert.Equal(first * RegionCipher, o);
        Assert.Equal(Math.Min((last + 1) * RegionCipher, blob.Length) - o, l);
    }

    [Fact]
    public async Task A_tampered_region_inside_the_range_fails_and_one_outside_is_never_read()
    {
        using var key = TestKeys.NewStudyKey();
        var (blob, md) = await Cse.EncryptAsync(TestKeys.Data(450), key, Region);
        blob[30] ^= 1; // ciphertext of region 0
        CiphertextRangeSource source = (o, l, _) => Task.FromResult<Stream>(new MemoryStream(blob, (int)o, (int)l));
        var decryptor = new EnvelopeDecryptor(new DictionaryKeyResolver(key));
        await using (var ok = await decryptor.OpenRangeAsync(source, blob.Length, md, Cse.BlobName, 200, 100, TestContext.Current.CancellationToken))
        {
            await ok.CopyToAsync(Stream.Null, TestContext.Current.CancellationToken);
        }

        await using var bad = await decryptor.OpenRangeAsync(source, blob.Length, md, Cse.BlobName, 50, 100, TestContext.Current.CancellationToken);
        var ex = await Assert.ThrowsAsync<EnvelopeDecryptionException>(() => bad.CopyToAsync(Stream.Null, TestContext.Current.CancellationToken));
        Assert.Equal(EnvelopeFailureReason.Tampered, ex.Reason);
    }

    [Fact]
    public async Task A_region_served_from_the_wrong_offset_is_out_of_order()
    {
        using var key = TestKeys.NewStudyKey();
        var (blob, md) = await Cse.EncryptAsync(TestKeys.Data(450), key, Region);
        CiphertextRangeSource wrong = (o, l, _) => Task.FromResult<Stream>(new MemoryStream(blob, 0, (int)l));
        var decryptor = new EnvelopeDecryptor(new DictionaryKeyResolver(key));
        await using var stream = await decryptor.OpenRangeAsync(wrong, blob.Length, md, Cse.BlobName, 250, 10, TestContext.Current.CancellationToken);
        var ex = await Assert.ThrowsAsync<EnvelopeDecryptionException>(() => stream.CopyToAsync(Stream.Null, TestContext.Current.CancellationToken));
        Assert.Equal(EnvelopeFailureReason.RegionOutOfOrder, ex.Reason);
    }

    [Fact]
    public async Task A_short_range_response_is_truncation()
    {
        using var key = TestKeys.NewStudyKey();
        var (blob, md) = await Cse.EncryptAsync(TestKeys.Data(450), key, Region);
        CiphertextRangeSource shortSource = (o, l, _) => Task.FromResult<Stream>(new MemoryStream(blob, (int)o, (int)l - 30));
        var decryptor = new EnvelopeDecryptor(new DictionaryKeyResolver(key));
        await using var stream = await decryptor.OpenRangeAsync(shortSource, blob.Length, md, Cse.BlobName, 0, 450, TestContext.Current.CancellationToken);
        var ex = await Assert.ThrowsAsync<EnvelopeDecryptionException>(() => stream.CopyToAsync(Stream.Null, TestContext.Current.CancellationToken));
        Assert.Equal(EnvelopeFailureReason.Truncated, ex.Reason);
    }

    [Fact]
    public async Task A_range_starting_past_the_end_is_an_argument_error()
    {
        using var key = TestKeys.NewStudyKey();
        var (blob, md) = await Cse.EncryptAsync(TestKeys.Data(450), key, Region);
        var decryptor = new EnvelopeDecryptor(new DictionaryKeyResolver(key));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => decryptor.OpenRangeAsync((_, _, _) => throw new InvalidOperationException(), blob.Length, md, Cse.BlobName, 451, 1, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_range_on_a_blob_whose_length_disagrees_with_its_metadata_fails_before_fetching()
    {
        using var key = TestKeys.NewStudyKey();
        var (blob, md) = await Cse.EncryptAsync(TestKeys.Data(450), key, Region);
        var decryptor = new EnvelopeDecryptor(new DictionaryKeyResolver(key));
        var ex = await Assert.ThrowsAsync<EnvelopeDecryptionException>(() => decryptor.OpenRangeAsync((_, _, _) => throw new InvalidOperationException("must not fetch"), blob.Length - RegionCipher, md, Cse.BlobName, 0, 10, TestContext.Current.CancellationToken));
        Assert.Equal(EnvelopeFailureReason.Truncated, ex.Reason);
    }
}
