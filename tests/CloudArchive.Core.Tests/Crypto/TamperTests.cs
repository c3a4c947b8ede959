using System.Security.Cryptography;
using System.Text;
using CloudArchive.Core.Crypto;
using Xunit;

namespace CloudArchive.Core.Tests.Crypto;

public sealed class TamperTests
{
    private const int Region = 64;
    private const int RegionCipher = Region + 28;

    private static async Task<EnvelopeDecryptionException> DecryptFails(byte[] blob, IReadOnlyDictionary<string, string> md, SymmetricKeyEncryptionKey key, bool passLength = true)
    {
        return await Assert.ThrowsAsync<EnvelopeDecryptionException>(() => Cse.DecryptAsync(blob, md, new DictionaryKeyResolver(key), passLength));
    }

    [Theory]
    [InlineData(0)] // nonce of region 0
    [InlineData(20)] // ciphertext of region 0
    [InlineData(80)] // tag of region 0
    [InlineData(RegionCipher + 40)] // ciphertext of region 1
    [InlineData(4 * RegionCipher + 12)] // first byte of the short last region
    [InlineData(-1)] // last byte of the last tag
    public async Task A_flipped_bit_anywhere_fails_closed(int position)
    {
        using var key = TestKeys.NewStudyKey();
        var (blob, md) = await Cse.EncryptAsync(TestKeys.Data((4 * Region) + 10), key, Region);
        blob[position < 0 ? blob.Length + position : position] ^= 0x04;
        foreach (var passLength in new[] { true, false })
        {
            var ex = await DecryptFails(blob, md, key, passLength);
            Assert.Contains(ex.Reason, new[] { EnvelopeFailureReason.Tampered, EnvelopeFailureReason.RegionOutOfOrder });
        }
    }

    [Fact]
    public async Task A_flipped_ciphertext_bit_reports_tampering_with_the_region_index()
    {
        using var key = TestKeys.NewStudyKey();
        var (blob, md) = await Cse.EncryptAsync(TestKeys.Data(3 * Region), key, Region);
        blob[(2 * RegionCipher) + 30] ^= 0x80;
        var ex = await DecryptFails(blob, md, key);
        Assert.Equal(EnvelopeFailureReason.Tampered, ex.Reason);
        Assert.Equal(2, ex.RegionIndex);
        Assert.Contains("GCM authentication", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_swapped_regions_are_detected_as_out_of_order()
    {
        using var key = TestKeys.NewStudyKey();
        var (blob, md) = await Cse.EncryptAsync(TestKeys.Data(4 * Region), key, Region);
        var swapped = (byte[])blob.Clone();
        blob.AsSpan(RegionCipher, RegionCipher).CopyTo(swapped.AsSpan(2 * RegionCipher));
        blob.AsSpan(2 * RegionCipher, RegionCipher).CopyTo(swapped.AsSpan(RegionCipher));
        var ex = await DecryptFails(swapped, md, key);
        Assert.Equal(EnvelopeFailureReason.RegionOutOfOrder, ex.Reason);
        Assert.Equal(1, ex.RegionIndex);
    }

    [Fact]
    public async Task A_region_spliced_from_another_blob_under_the_same_study_key_fails()
    {
        using var key = TestKeys.NewStudyKey();
        var (a, md) = await Cse.EncryptAsync(TestKeys.Data(2 * Region, 1), key, Region);
        var (b, _) = await Cse.EncryptAsync(TestKeys.Data(2 * Region, 2), key, Region);
        b.AsSpan(RegionCipher, RegionCipher).CopyTo(a.AsSpan(RegionCipher));
        Assert.Equal(EnvelopeFailureReason.Tampered, (await DecryptFails(a, md, key)).Reason);
    }

    [Fact]
    public async Task Truncation_at_a_region_boundary_is_detected_before_reading_when_the_length_is_known()
    {
        using var key = TestKeys.NewStudyKey();
        var (blob, md) = await Cse.EncryptAsync(TestKeys.Data(3 * Region), key, Region);
        var cut = blob[..(2 * RegionCipher)];
        var ex = await DecryptFails(cut, md, key, passLength: true);
        Assert.Equal(EnvelopeFailureReason.Truncated, ex.Reason);
    }

    [Fact]
    public async Task Truncation_at_a_region_boundary_is_detected_at_the_end_of_a_stream_of_unknown_length()
    {
        using var key = TestKeys.NewStudyKey();
        var (blob, md) = await Cse.EncryptAsync(TestKeys.Data(3 * Region), key, Region);
        var ex = await DecryptFails(blob[..(2 * RegionCipher)], md, key, passLength: false);
        Assert.Equal(EnvelopeFailureReason.Truncated, ex.Reason);
        Assert.Equal(2, ex.RegionIndex);
    }

    [Fact]
    public async Task Truncation_inside_a_region_is_detected()
    {
        using var key = TestKeys.NewStudyKey();
        var (blob, md) = await Cse.EncryptAsync(TestKeys.Data(3 * Region), key, Region);
        Assert.Equal(EnvelopeFailureReason.Truncated, (await DecryptFails(blob[..^5], md, key, passLength: false)).Reason);
        Assert.Equal(EnvelopeFailureReason.Truncated, (await DecryptFails(blob[..^5], md, key, passLength: true)).Reason);
    }

    [Fact]
    public async Task Appended_bytes_are_detected()
    {
        using var key = TestKeys.NewStudyKey();
        var (blob, md) = await Cse.EncryptAsync(TestKeys.Data(2 * Region), key, Region);
        byte[] longer = [.. blob, .. blob[..RegionCipher]];
        Assert.Equal(EnvelopeFailureReason.TrailingData, (await DecryptFails(longer, md, key, passLength: true)).Reason);
        Assert.Equal(EnvelopeFailureReason.TrailingData, (await DecryptFails(longer, md, key, passLength: false)).Reason);
    }

    [Fact]
    public async Task A_lowered_plain_length_is_detected()
    {
        using var key = TestKeys.NewStudyKey();
        var (blob, md) = await Cse.EncryptAsync(TestKeys.Data(3 * Region), key, Region);
        var edited = new Dictionary<string, string>(md) { ["ca_plainlength"] = (2 * Region).ToString(System.Globalization.CultureInfo.InvariantCulture) };
        Assert.Equal(EnvelopeFailureReason.TrailingData, (await DecryptFails(blob, edited, key, passLength: true)).Reason);

        // Without the blob's length only ca_envelopemac, checked before the first region, catches it.
        Assert.Equal(EnvelopeFailureReason.MetadataTampered, (await DecryptFails(blob, edited, key, passLength: false)).Reason);
    }

    [Fact]
    public async Task A_wrong_study_key_under_the_same_id_fails_as_wrong_key()
    {
        using var key = TestKeys.NewStudyKey("urn:test:study:X");
        var (blob, md) = await Cse.EncryptAsync(TestKeys.Data(100), key, Region);
        using var impostor = TestKeys.NewStudyKey("urn:test:study:X");
        var ex = await DecryptFails(blob, md, impostor);
        Assert.Equal(EnvelopeFailureReason.WrongKey, ex.Reason);
        Assert.Equal("urn:test:study:X", ex.KeyId);
    }

    [Fact]
    public async Task A_key_id_no_resolver_knows_fails_as_key_not_found()
    {
        using var key = TestKeys.NewStudyKey("urn:test:study:old");
        var (blob, md) = await Cse.EncryptAsync(TestKeys.Data(100), key, Region);
        using var other = TestKeys.NewStudyKey("urn:test:study:new");
        Assert.Equal(EnvelopeFailureReason.KeyNotFound, (await DecryptFails(blob, md, other)).Reason);
    }

    [Fact]
    public async Task A_protocol_prefix_that_disagrees_with_the_agent_protocol_is_rejected()
    {
        var raw = RandomNumberGenerator.GetBytes(32);
        using var key = new SymmetricKeyEncryptionKey("urn:test:p", raw);
        var plain = TestKeys.Data(100);
        var (blob, md) = IndependentCse21.Encrypt(plain, raw, key.KeyId, Region, protocol: "2.0");
        // Claim 2.1 in the agent while the wrapped key carries "2.0": an SDK downgrade/confusion attempt.
        var edited = new Dictionary<string, string>(md) { ["encryptiondata"] = md["encryptiondata"].Replace("\"Protocol\":\"2.0\"", "\"Protocol\":\"2.1\"", StringComparison.Ordinal) };
        var ex = await DecryptFails(blob, edited, key);
        Assert.Equal(EnvelopeFailureReason.ProtocolMismatch, ex.Reason);
        Assert.Contains("Mismatched", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"Protocol\":\"2.1\"", "\"Protocol\":\"1.0\"")]
    [InlineData("\"Protocol\":\"2.1\"", "\"Protocol\":\"3.0\"")]
    [InlineData("AES_GCM_256", "AES_CBC_256")]
    [InlineData("FullBlob", "Partial")]
    [InlineData("\"NonceLength\":12", "\"NonceLength\":16")]
    [InlineData("\"DataLength\":64", "\"DataLength\":4")]
    [InlineData("\"Algorithm\":\"A256KW\"", "\"Algorithm\":\"RSA-OAEP\"")]
    public async Task Unsupported_format_parameters_are_rejected_as_protocol_mismatch(string from, string to)
    {
        using var key = TestKeys.NewStudyKey();
        var (blob, md) = await Cse.EncryptAsync(TestKeys.Data(100), key, Region);
        var edited = new Dictionary<string, string>(md) { ["encryptiondata"] = md["encryptiondata"].Replace(from, to, StringComparison.Ordinal) };
        Assert.Equal(EnvelopeFailureReason.ProtocolMismatch, (await DecryptFails(blob, edited, key)).Reason);
    }

    [Fact]
    public async Task Missing_encryptiondata_is_rejected()
    {
        using var key = TestKeys.NewStudyKey();
        var (blob, md) = await Cse.EncryptAsync(TestKeys.Data(100), key, Region);
        var edited = md.Where(p => p.Key != "encryptiondata").ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(EnvelopeFailureReason.MissingMetadata, (await DecryptFails(blob, edited, key)).Reason);
    }

    [Fact]
    public async Task Missing_plain_length_is_rejected_unless_explicitly_allowed()
    {
        using var key = TestKeys.NewStudyKey();
        var plain = TestKeys.Data(100);
        var (blob, md) = await Cse.EncryptAsync(plain, key, Region);
        var edited = md.Where(p => p.Key != "ca_plainlength").ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(EnvelopeFailureReason.MissingMetadata, (await DecryptFails(blob, edited, key)).Reason);

        // A MAC without the length it covers cannot be checked, so it is refused even by a relaxed reader...
        var relaxed = new EnvelopeDecryptionOptions { RequirePlainLength = false, RequireEnvelopeMac = false };
        var ex = await Assert.ThrowsAsync<EnvelopeDecryptionException>(() => Cse.DecryptAsync(blob, edited, new DictionaryKeyResolver(key), options: relaxed));
        Assert.Equal(EnvelopeFailureReason.MissingMetadata, ex.Reason);

        // ...which reads a blob carrying neither, as another tool writes it.
        var foreign = edited.Where(p => p.Key != "ca_envelopemac").ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(plain, await Cse.DecryptAsync(blob, foreign, new DictionaryKeyResolver(key), options: relaxed));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"EncryptionMode\":\"FullBlob\"}")]
    public async Task Malformed_encryptiondata_is_rejected_as_missing_metadata(string json)
    {
        using var key = TestKeys.NewStudyKey();
        var (blob, md) = await Cse.EncryptAsync(TestKeys.Data(10), key, Region);
        var edited = new Dictionary<string, string>(md) { ["encryptiondata"] = json };
        Assert.Equal(EnvelopeFailureReason.MissingMetadata, (await DecryptFails(blob, edited, key)).Reason);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("12a")]
    [InlineData(" 5")]
    public async Task Malformed_plain_length_is_rejected(string value)
    {
        using var key = TestKeys.NewStudyKey();
        var (blob, md) = await Cse.EncryptAsync(TestKeys.Data(10), key, Region);
        var edited = new Dictionary<string, string>(md) { ["ca_plainlength"] = value };
        Assert.Equal(EnvelopeFailureReason.MissingMetadata, (await DecryptFails(blob, edited, key)).Reason);
    }

    [Fact]
    public async Task Metadata_names_are_matched_case_insensitively()
    {
        using var key = TestKeys.NewStudyKey();
        var plain = TestKeys.Data(100);
        var (blob, md) = await Cse.EncryptAsync(plain, key, Region);
        var upper = md.ToDictionary(p => p.Key.ToUpperInvariant(), p => p.Value, StringComparer.Ordinal);
        Assert.Equal(plain, await Cse.DecryptAsync(blob, upper, new DictionaryKeyResolver(key)));
    }

    [Fact]
    public async Task Error_messages_carry_no_key_material()
    {
        var raw = RandomNumberGenerator.GetBytes(32);
        using var key = new SymmetricKeyEncryptionKey("urn:test:m", raw);
        var (blob, md) = await Cse.EncryptAsync(TestKeys.Data(100), key, Region);
        using var wrong = TestKeys.NewStudyKey("urn:test:m");
        var ex = await DecryptFails(blob, md, wrong);
        var text = ex.ToString();
        Assert.DoesNotContain(Convert.ToBase64String(raw), text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(raw), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Encoding.UTF8.GetString(raw), text, StringComparison.Ordinal);
    }
}
