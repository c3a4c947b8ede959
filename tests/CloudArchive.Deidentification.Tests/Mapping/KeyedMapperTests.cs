using System.Numerics;
using CloudArchive.Dicom;
using Xunit;

namespace CloudArchive.Deidentification.Tests;

public class KeyedMapperTests
{
    internal static ProjectSecret Secret(byte fill = 7) => new(Enumerable.Repeat(fill, 32).Select((b, i) => (byte)(b + i)).ToArray());

    [Fact]
    public void Uid_mapping_is_deterministic_and_keyed()
    {
        var a = new KeyedMapper(Secret());
        var b = new KeyedMapper(Secret());
        var other = new KeyedMapper(Secret(9));
        Assert.Equal(a.MapUid("1.2.3.4"), b.MapUid("1.2.3.4"));
        Assert.NotEqual(a.MapUid("1.2.3.4"), a.MapUid("1.2.3.5"));
        Assert.NotEqual(a.MapUid("1.2.3.4"), other.MapUid("1.2.3.4"));
    }

    [Theory]
    [InlineData("1.2.3.4", "2.25.143700715777549039953656967221619124764")]
    [InlineData("1.2.840.113619.2.1.19450312.1", "2.25.333826258973824188347945039704987503297")]
    public void Uid_mapping_matches_an_independent_HMAC_computation(string uid, string expected)
    {
        // Expected values computed outside .NET (Python hmac/hashlib, the same algorithm as tools/deid/pydicom_deid.py)
        // with the key bytes 7..38: the mapping depends on nothing but the secret and the UID, in any process.
        Assert.Equal(expected, new KeyedMapper(Secret()).MapUid(uid));
    }

    [Theory]
    [InlineData("1.2.840.113619.2.1.19450312.1")]
    [InlineData("1.3.6.1.4.1.9590.100.1.2.1")]
    [InlineData("999.999.2.19941105.112000")]
    public void Mapped_uids_are_valid_2_25_uuid_derived_uids(string uid)
    {
        var m = new KeyedMapper(Secret()).MapUid(uid);
        Assert.StartsWith("2.25.", m, StringComparison.Ordinal);
        Assert.True(m.Length <= 64);
        var digits = m[5..];
        Assert.Matches("^(0|[1-9][0-9]*)$", digits);
        var value = BigInteger.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(value < BigInteger.One << 128);
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var padded = new byte[16];
        bytes.CopyTo(padded, 16 - bytes.Length);
        Assert.Equal(0x80, padded[6] & 0xF0); // version 8
        Assert.Equal(0x80, padded[8] & 0xC0); // RFC variant
        Assert.DoesNotContain("19450312", m, StringComparison.Ordinal);
    }

    [Fact]
    public void Trailing_padding_does_not_change_the_mapping()
    {
        var m = new KeyedMapper(Secret());
        Assert.Equal(m.MapUid("1.2.3"), m.MapUid("1.2.3\0"));
    }

    [Fact]
    public void Date_offset_is_stable_per_patient_within_range_and_never_zero()
    {
        var m = new KeyedMapper(Secret());
        var offsets = Enumerable.Range(0, 500).Select(i => m.DateOffsetDays("patient" + i, -30, 30)).ToList();
        Assert.All(offsets, o => Assert.InRange(o, -30, 30));
        Assert.DoesNotContain(0, offsets);
        Assert.True(offsets.Distinct().Count() > 20);
        Assert.Equal(m.DateOffsetDays("p", -3650, -365), m.DateOffsetDays("p", -3650, -365));
        Assert.Throws<ArgumentException>(() => m.DateOffsetDays("p", 0, 0));
        Assert.Equal(-5, m.DateOffsetDays("p", -5, -5));
    }

    [Fact]
    public void Patient_pseudonyms_are_stable_and_fit_their_VRs()
    {
        var m = new KeyedMapper(Secret());
        Assert.Equal(m.PatientId("12345"), m.PatientId("12345"));
        Assert.NotEqual(m.PatientId("12345"), m.PatientId("12346"));
        Assert.True(m.PatientId("x").Length <= 64);
        Assert.Matches(@"^ANON\^[A-Z2-9]{10}$", m.PatientName("12345"));
    }

    [Fact]
    public void Dummy_text_fits_the_VR_and_is_consistent_for_equal_originals()
    {
        var m = new KeyedMapper(Secret());
        var tag = new DicomTag(0x0020, 0x0010);
        Assert.Equal(m.DummyText(tag, DicomVR.SH, "STUDY1"), m.DummyText(tag, DicomVR.SH, "STUDY1"));
        Assert.True(m.DummyText(tag, DicomVR.SH, "STUDY1").Length <= 16);
        Assert.True(m.DummyText(tag, DicomVR.AE, "X").Length <= 16);
        Assert.Equal("19000101", m.DummyText(tag, DicomVR.DA, "20200101"));
    }

    [Fact]
    public void Secret_shorter_than_32_bytes_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new ProjectSecret(new byte[31]));
    }

    [Fact]
    public async Task Secret_file_is_read_trimmed_and_too_short_files_give_a_typed_error()
    {
        var dir = Directory.CreateTempSubdirectory("deid-secret");
        try
        {
            var good = Path.Combine(dir.FullName, "good");
            await File.WriteAllTextAsync(good, "  " + new string('k', 40) + "\n", TestContext.Current.CancellationToken);
            var s = await ProjectSecret.ReadFileAsync(good, TestContext.Current.CancellationToken);
            var t = await ProjectSecret.ReadFileAsync(good, TestContext.Current.CancellationToken);
            Assert.Equal(new KeyedMapper(s).MapUid("1.2"), new KeyedMapper(t).MapUid("1.2"));

            var bad = Path.Combine(dir.FullName, "bad");
            await File.WriteAllTextAsync(bad, "short\n", TestContext.Current.CancellationToken);
            var e = await Assert.ThrowsAsync<DeidConfigurationException>(() => ProjectSecret.ReadFileAsync(bad, TestContext.Current.CancellationToken));
            Assert.DoesNotContain("short", e.Message, StringComparison.Ordinal);
            await Assert.ThrowsAsync<DeidConfigurationException>(() => ProjectSecret.ReadFileAsync(Path.Combine(dir.FullName, "missing"), TestContext.Current.CancellationToken));
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
