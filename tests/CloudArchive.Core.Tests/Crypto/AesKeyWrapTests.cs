using CloudArchive.Core.Crypto;
using Xunit;

namespace CloudArchive.Core.Tests.Crypto;

public sealed class AesKeyWrapTests
{
    private const string Kek128 = "000102030405060708090A0B0C0D0E0F";
    private const string Kek192 = "000102030405060708090A0B0C0D0E0F1011121314151617";
    private const string Kek256 = "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F";
    private const string Data128 = "00112233445566778899AABBCCDDEEFF";
    private const string Data192 = "00112233445566778899AABBCCDDEEFF0001020304050607";
    private const string Data256 = "00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F";

    // RFC 3394 §4.1–4.6.
    [Theory]
    [InlineData(Kek128, Data128, "1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5")]
    [InlineData(Kek192, Data128, "96778B25AE6CA435F92B5B97C050AED2468AB8A17AD84E5D")]
    [InlineData(Kek256, Data128, "64E8C3F9CE0F5BA263E9777905818A2A93C8191E7D6E8AE7")]
    [InlineData(Kek192, Data192, "031D33264E15D33268F24EC260743EDCE1C6C7DDEE725A936BA814915C6762D2")]
    [InlineData(Kek256, Data192, "A8F9BC1612C68B3FF6E6F4FBE30E71E4769C8B80A32CB8958CD5D17D6B254DA1")]
    [InlineData(Kek256, Data256, "28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21")]
    public void Wrap_and_unwrap_match_the_RFC_3394_test_vectors(string kek, string data, string wrapped)
    {
        var k = Convert.FromHexString(kek);
        Assert.Equal(wrapped, Convert.ToHexString(AesKeyWrap.Wrap(k, Convert.FromHexString(data))));
        Assert.Equal(data, Convert.ToHexString(AesKeyWrap.Unwrap(k, Convert.FromHexString(wrapped))));
    }

    [Fact]
    public void Unwrap_of_a_flipped_bit_fails_the_integrity_check()
    {
        var wrapped = Convert.FromHexString("28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21");
        for (int i = 0; i < wrapped.Length; i += 7)
        {
            var copy = (byte[])wrapped.Clone();
            copy[i] ^= 0x01;
            Assert.Throws<KeyUnwrapException>(() => AesKeyWrap.Unwrap(Convert.FromHexString(Kek256), copy));
        }
    }

    [Fact]
    public void Unwrap_under_the_wrong_key_fails_the_integrity_check()
    {
        var wrapped = AesKeyWrap.Wrap(Convert.FromHexString(Kek256), Convert.FromHexString(Data256));
        var other = Convert.FromHexString(Kek256);
        other[31] ^= 0x80;
        var ex = Assert.Throws<KeyUnwrapException>(() => AesKeyWrap.Unwrap(other, wrapped));
        Assert.DoesNotContain(Data256, ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(17)]
    [InlineData(0)]
    public void Wrap_rejects_lengths_RFC_3394_does_not_define(int length)
    {
        Assert.Throws<ArgumentException>(() => AesKeyWrap.Wrap(Convert.FromHexString(Kek256), new byte[length]));
    }

    [Theory]
    [InlineData(16)]
    [InlineData(25)]
    public void Unwrap_rejects_malformed_lengths_with_a_typed_error(int length)
    {
        Assert.Throws<KeyUnwrapException>(() => AesKeyWrap.Unwrap(Convert.FromHexString(Kek256), new byte[length]));
    }

    [Fact]
    public void Wrap_rejects_a_key_encryption_key_of_invalid_size()
    {
        Assert.Throws<ArgumentException>(() => AesKeyWrap.Wrap(new byte[20], new byte[32]));
    }
}
