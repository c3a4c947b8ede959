using CloudArchive.Dicom;
using Xunit;

namespace CloudArchive.Deidentification.Tests;

public class TextCleanerTests
{
    private static IdentifierTokens Tokens()
    {
        var ds = new DicomDataset();
        ds.Set(DicomValueElement.FromStrings(new DicomTag(0x0010, 0x0010), DicomVR.PN, ["Doe^Jane^Q"]));
        ds.Set(DicomValueElement.FromStrings(new DicomTag(0x0010, 0x0020), DicomVR.LO, ["MRN0042"]));
        ds.Set(DicomValueElement.FromStrings(new DicomTag(0x0010, 0x0030), DicomVR.DA, ["19450312"]));
        ds.Set(DicomValueElement.FromStrings(new DicomTag(0x0008, 0x0080), DicomVR.LO, ["Saint Elsewhere Hospital"]));
        var item = new DicomDataset();
        item.Set(DicomValueElement.FromStrings(new DicomTag(0x0040, 0xA123), DicomVR.PN, ["Kildare^James"]));
        ds.Set(new DicomSequence(new DicomTag(0x0040, 0xA730), [item]));
        return IdentifierTokens.Gather(ds, new HashSet<DeidOption>());
    }

    [Theory]
    [InlineData("CT chest for Jane DOE")]
    [InlineData("ref mrn0042 urgent")]
    [InlineData("born 1945-03-12")]
    [InlineData("born 12/03/1945")]
    [InlineData("seen at SAINT ELSEWHERE")]
    [InlineData("read by Dr Kildare")]
    public void Planted_identifiers_are_masked(string text)
    {
        var tokens = Tokens();
        var cleaned = TextCleaner.Clean(text, tokens);
        Assert.False(TextCleaner.ContainsToken(cleaned, tokens));
        foreach (var t in new[] { "Jane", "DOE", "mrn0042", "1945", "ELSEWHERE", "Kildare" })
        {
            Assert.DoesNotContain(t, cleaned, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Text_without_identifiers_is_unchanged_by_the_sweep()
    {
        Assert.Equal("AXIAL T1 POST CONTRAST", TextCleaner.MaskTokens("AXIAL T1 POST CONTRAST", Tokens()));
    }

    [Fact]
    public void Clean_masks_phone_numbers_emails_and_long_digit_runs()
    {
        var t = new IdentifierTokens();
        var s = TextCleaner.Clean("call +1 (555) 010-4477 or jd@example.org, ref 1234567", t);
        Assert.DoesNotContain("555", s, StringComparison.Ordinal);
        Assert.DoesNotContain("example.org", s, StringComparison.Ordinal);
        Assert.DoesNotContain("1234567", s, StringComparison.Ordinal);
    }

    [Fact]
    public void Short_tokens_match_only_whole_words()
    {
        var t = new IdentifierTokens();
        t.Add("Li", splitParts: false);
        Assert.Equal("CLINICAL **", TextCleaner.MaskTokens("CLINICAL Li", t));
    }

    [Fact]
    public void Retained_institution_is_not_treated_as_identifying()
    {
        var ds = new DicomDataset();
        ds.Set(DicomValueElement.FromStrings(new DicomTag(0x0008, 0x0080), DicomVR.LO, ["Saint Elsewhere Hospital"]));
        var tokens = IdentifierTokens.Gather(ds, new HashSet<DeidOption> { DeidOption.RetainInstitutionIdentity });
        Assert.Equal(0, tokens.Count);
    }
}
