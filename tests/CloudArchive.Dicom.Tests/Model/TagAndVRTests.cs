using Xunit;

namespace CloudArchive.Dicom.Tests.Model;

public sealed class TagAndVRTests
{
    [Theory]
    [InlineData("(0010,0010)")]
    [InlineData("0010,0010")]
    [InlineData("00100010")]
    [InlineData(" (0010,0010) ")]
    public void Tag_parses_the_usual_notations(string text)
    {
        Assert.Equal(new DicomTag(0x0010, 0x0010), DicomTag.Parse(text));
        Assert.Equal("(0010,0010)", DicomTag.Parse(text).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("(0010,001)")]
    [InlineData("0010-0010")]
    [InlineData("GGGGEEEE")]
    public void Tag_rejects_malformed_text(string text)
    {
        Assert.False(DicomTag.TryParse(text, out _));
        Assert.Throws<FormatException>(() => DicomTag.Parse(text));
    }

    [Fact]
    public void Tags_order_by_group_then_element()
    {
        Assert.True(new DicomTag(0x0008, 0xFFFF) < new DicomTag(0x0010, 0x0000));
        Assert.Equal(0x7FE00010u, DicomTags.PixelData.Value);
        Assert.Equal(new DicomTag(0x7FE00010), DicomTags.PixelData);
    }

    [Theory]
    [InlineData(0x0009, 0x0010, true, true, false)]
    [InlineData(0x0029, 0x1010, true, false, true)]
    [InlineData(0x0029, 0x0005, true, false, false)]
    [InlineData(0x0010, 0x0010, false, false, false)]
    [InlineData(0x0001, 0x0010, false, false, false)]
    [InlineData(0x0007, 0x1000, false, false, false)]
    [InlineData(0xFFFF, 0x1000, false, false, false)]
    public void Private_tags_are_odd_groups_above_0008(int group, int element, bool isPrivate, bool isCreator, bool isData)
    {
        var tag = new DicomTag((ushort)group, (ushort)element);
        Assert.Equal(isPrivate, tag.IsPrivate);
        Assert.Equal(isCreator, tag.IsPrivateCreator);
        Assert.Equal(isData, tag.IsPrivateData);
    }

    [Fact]
    public void Private_data_element_belongs_to_the_creator_of_its_block()
    {
        Assert.Equal(new DicomTag(0x0029, 0x0010), new DicomTag(0x0029, 0x1010).PrivateCreatorTag);
        Assert.Equal(new DicomTag(0x0029, 0x00FF), new DicomTag(0x0029, 0xFF01).PrivateCreatorTag);
        Assert.Null(new DicomTag(0x0010, 0x0010).PrivateCreatorTag);
        Assert.Null(new DicomTag(0x0029, 0x0010).PrivateCreatorTag);
    }

    [Fact]
    public void Every_ps35_vr_is_known_with_its_explicit_header_layout()
    {
        var longVRs = new[] { "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV" };
        Assert.Equal(34, DicomVR.All.Count);
        foreach (var vr in DicomVR.All)
        {
            Assert.Equal(longVRs.Contains(vr.Code), vr.HasLongExplicitHeader);
            Assert.Same(vr, DicomVR.Parse(vr.Code));
        }
    }

    [Fact]
    public void Padding_and_swap_units_follow_ps35()
    {
        Assert.Equal((byte)0, DicomVR.UI.PaddingByte);
        Assert.Equal((byte)0, DicomVR.OB.PaddingByte);
        Assert.Equal((byte)' ', DicomVR.PN.PaddingByte);
        Assert.Equal((byte)' ', DicomVR.DS.PaddingByte);
        Assert.Equal(2, DicomVR.OW.UnitSize);
        Assert.Equal(2, DicomVR.AT.UnitSize);
        Assert.Equal(4, DicomVR.FL.UnitSize);
        Assert.Equal(8, DicomVR.FD.UnitSize);
        Assert.Equal(8, DicomVR.UV.UnitSize);
        Assert.Equal(1, DicomVR.OB.UnitSize);
        Assert.Equal(1, DicomVR.UN.UnitSize);
        Assert.True(DicomVR.PN.IsCharacterSetDependent);
        Assert.False(DicomVR.CS.IsCharacterSetDependent);
        Assert.False(DicomVR.LT.IsMultiValuedString);
        Assert.True(DicomVR.OW.IsBulkCapable);
        Assert.False(DicomVR.US.IsBulkCapable);
    }

    [Fact]
    public void Unknown_vr_codes_are_not_parsed()
    {
        Assert.False(DicomVR.TryParse("ZZ", out _));
        Assert.False(DicomVR.TryParse((byte)0x0A, (byte)0x00, out _));
        Assert.Throws<ArgumentException>(() => DicomVR.Parse("xx"));
    }
}
