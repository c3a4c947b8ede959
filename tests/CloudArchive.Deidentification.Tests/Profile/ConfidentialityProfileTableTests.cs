using CloudArchive.Dicom;
using Xunit;

namespace CloudArchive.Deidentification.Tests;

public class ConfidentialityProfileTableTests
{
    [Fact]
    public void Embedded_table_has_every_row_of_the_2024b_edition()
    {
        var t = ConfidentialityProfileTable.Standard;
        Assert.Equal("2024b", t.Edition);
        Assert.Equal(621, t.Rows.Count);
        Assert.Equal(384, t.Rows.Count(r => r.BasicCode == "X"));
        Assert.Equal(2, t.Rows.Count(r => r.BasicCode == "X/Z/U*"));
        Assert.True(t.PrivateAttributesRow.IsPrivateAttributesRow);
    }

    [Fact]
    public void Repeating_group_rows_match_every_overlay_and_curve_group()
    {
        var t = ConfidentialityProfileTable.Standard;
        Assert.Equal("(60XX,3000)", t.Find(new DicomTag(0x6000, 0x3000))!.RawTag);
        Assert.Equal("(60XX,3000)", t.Find(new DicomTag(0x601E, 0x3000))!.RawTag);
        Assert.Equal("(60XX,4000)", t.Find(new DicomTag(0x6002, 0x4000))!.RawTag);
        Assert.Equal("(50XX,XXXX)", t.Find(new DicomTag(0x5004, 0x0010))!.RawTag);
        Assert.Null(t.Find(new DicomTag(0x6000, 0x0010)));
    }

    [Fact]
    public void Exact_rows_are_found_by_tag()
    {
        var row = ConfidentialityProfileTable.Standard.Find(new DicomTag(0x0010, 0x0010))!;
        Assert.Equal("PatientName", row.Keyword);
        Assert.Equal("Z", row.BasicCode);
    }

    [Fact]
    public void Malformed_table_data_is_rejected_with_a_clear_error()
    {
        var json = """{"_meta":{"dicomEdition":"x"},"attributes":[{"rawTag":"(0010,0010)","name":"n","tag":"00100010","basicProfile":"Q"}]}""";
        var e = Assert.Throws<InvalidDataException>(() => ConfidentialityProfileTable.Parse(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))));
        Assert.Contains("unknown action code", e.Message, StringComparison.Ordinal);
    }
}
