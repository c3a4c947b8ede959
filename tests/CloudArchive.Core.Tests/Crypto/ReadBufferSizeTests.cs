using System.Security.Cryptography;
using CloudArchive.Core.Crypto;
using Xunit;

namespace CloudArchive.Core.Tests.Crypto;

/// <summary>Both streams have a copy path (small reader buffers) and an in-place path (buffers holding a whole region).</summary>
public sealed class ReadBufferSizeTests
{
    private const int Region = 64;

    [Theory]
    [InlineData(1, false)]
    [InlineData(13, true)]
    [InlineData(Region, false)]
    [InlineData(Region + 28, true)]
    [InlineData(Region + 27, false)]
    [InlineData(10 * Region, true)]
    public async Task Any_reader_buffer_size_produces_and_consumes_the_same_format(int bufferSize, bool async)
    {
        var raw = RandomNumberGenerator.GetBytes(32);
        using var key = new SymmetricKeyEncryptionKey("urn:test:buf", raw);
        var plain = TestKeys.Data((5 * Region) + 9);
        var encryptor = new EnvelopeEncryptor(new EnvelopeEncryptionOptions { RegionLength = Region });
        await using var enc = await encryptor.EncryptAsync(new MemoryStream(plain), key, cancellationToken: TestContext.Current.CancellationToken);
        var blob = await DrainAsync(enc, bufferSize, async);
        Assert.Equal(blob.Length, enc.Position);
        Assert.Equal(plain, IndependentCse21.Decrypt(blob, enc.GetMetadata(Cse.BlobName), raw));

        var decryptor = new EnvelopeDecryptor(new DictionaryKeyResolver(key));
        await using var dec = await decryptor.OpenReadAsync(new MemoryStream(blob), enc.GetMetadata(Cse.BlobName), Cse.BlobName, blob.Length, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(plain, await DrainAsync(dec, bufferSize, async));

        CiphertextRangeSource source = (o, l, _) => Task.FromResult<Stream>(new MemoryStream(blob, (int)o, (int)l));
        await using var range = await decryptor.OpenRangeAsync(source, blob.Length, enc.GetMetadata(Cse.BlobName), Cse.BlobName, Region, (3 * Region) + 5, TestContext.Current.CancellationToken);
        Assert.Equal(plain.AsSpan(Region, (3 * Region) + 5).ToArray(), await DrainAsync(range, bufferSize, async));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Tampering_is_caught_on_the_in_place_path_and_the_caller_buffer_holds_no_unauthenticated_bytes(bool async)
    {
        using var key = TestKeys.NewStudyKey();
        var (blob, md) = await Cse.EncryptAsync(TestKeys.Data(2 * Region), key, Region);
        blob[Region + 28 + 12 + 5] ^= 0x10; // region 1 ciphertext
        var decryptor = new EnvelopeDecryptor(new DictionaryKeyResolver(key));
        await using var dec = await decryptor.OpenReadAsync(new MemoryStream(blob), md, Cse.BlobName, blob.Length, cancellationToken: TestContext.Current.CancellationToken);
        var buffer = new byte[4 * Region];
        int first = async ? await dec.ReadAtLeastAsync(buffer, Region, throwOnEndOfStream: true, TestContext.Current.CancellationToken) : dec.ReadAtLeast(buffer, Region);
        Assert.Equal(Region, first);
        Array.Clear(buffer);
        var ex = async
            ? await Assert.ThrowsAsync<EnvelopeDecryptionException>(async () => await dec.ReadAtLeastAsync(buffer, 1, throwOnEndOfStream: true, TestContext.Current.CancellationToken))
            : Assert.Throws<EnvelopeDecryptionException>(() => dec.ReadAtLeast(buffer, 1));
        Assert.Equal(EnvelopeFailureReason.Tampered, ex.Reason);
        Assert.All(buffer, b => Assert.Equal(0, b));
    }

    private static async Task<byte[]> DrainAsync(Stream stream, int bufferSize, bool async)
    {
        var output = new MemoryStream();
        var buffer = new byte[bufferSize];
        int n;
        while ((n = async ? await stream.ReadAsync(buffer, TestContext.Current.CancellationToken) : stream.Read(buffer)) > 0)
        {
            output.Write(buffer, 0, n);
        }

        return output.ToArray();
    }
}
