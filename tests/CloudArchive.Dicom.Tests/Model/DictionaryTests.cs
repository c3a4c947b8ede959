using Xunit;

namespace CloudArchive.Dicom.Tests.Model;

public sealed class DictionaryTests
{
    [Fact]
    public void Dictionary_is_generated_from_the_2024d_data_with_every_entry()
    {
        Assert.Equal("2024d", DicomDictionary.Edition);
        Assert.Equal(5278, DicomDictionary.Entries.Count);
        Assert.Equal(88, DicomDictionary.Entries.Count(e => e.IsRepeating));
    }

    [Fact]
    public void Lookup_by_tag_and_keyword_agree()
    {
        var pn = DicomDictionary.Lookup(new DicomTag(0x0010, 0x0010))!;
        Assert.Equal("PatientName", pn.Keyword);
        Assert.Equal("Patient's Name", pn.Name);
        Assert.Equal(DicomVR.PN, Assert.Single(pn.VRs));
        Assert.Same(pn, DicomDictionary.Lookup("PatientName"));
        Assert.Null(DicomDictionary.Lookup("NoSuchKeyword"));
    }

    [Theory]
    [InlineData(0x6000, 0x3000, "OverlayData")]
    [InlineData(0x601E, 0x3000, "OverlayData")]
    [InlineData(0x6002, 0x0010, "OverlayRows")]
    [InlineData(0x5010, 0x3000, "CurveData")]
    [InlineData(0x1010, 0x0100, "ZonalMap")]
    public void Repeating_groups_match_by_mask(int group, int element, string keyword)
    {
        var e = DicomDictionary.Lookup(new DicomTag((ushort)group, (ushort)element));
        Assert.NotNull(e);
        Assert.Equal(keyword, e.Keyword);
        Assert.True(e.IsRepeating);
    }

    [Fact]
    public void Odd_groups_never_match_a_repeating_mask()
    {
        Assert.Null(DicomDictionary.Lookup(new DicomTag(0x6001, 0x3000)));
        Assert.Null(DicomDictionary.Lookup(new DicomTag(0x0029, 0x1010)));
    }

    [Theory]
    [InlineData(0x0028, 0x0106, "US or SS", "US,SS")]
    [InlineData(0x7FE0, 0x0010, "OB or OW", "OB,OW")]
    [InlineData(0x0028, 0x3006, "US or OW", "US,OW")]
    public void Ambiguous_vrs_are_kept_as_candidate_lists(int group, int element, string text, string candidates)
    {
        var e = DicomDictionary.Lookup(new DicomTag((ushort)group, (ushort)element))!;
        Assert.Equal(text, e.VRText);
        Assert.True(e.IsAmbiguousVR);
        Assert.Equal(candidates, string.Join(',', e.VRs.Select(v => v.Code)));
    }

    [Fact]
    public void Default_vr_covers_group_lengths_private_creators_and_unknown_tags()
    {
        Assert.Equal(DicomVR.UL, DicomDictionary.GetDefaultVR(new DicomTag(0x0029, 0x0000)));
        Assert.Equal(DicomVR.LO, DicomDictionary.GetDefaultVR(new DicomTag(0x0029, 0x0010)));
        Assert.Equal(DicomVR.UN, DicomDictionary.GetDefaultVR(new DicomTag(0x0029, 0x1010)));
        Assert.Equal(DicomVR.SQ, DicomDictionary.GetDefaultVR(new DicomTag(0x0008, 0x1140)));
        Assert.Equal(DicomVR.UN, DicomDictionary.GetDefaultVR(new DicomTag(0x0008, 0x0202)));
    }

    [Fact]
    public void File_meta_and_command_groups_are_in_the_dictionary()
    {
        Assert.Equal("TransferSyntaxUID", DicomDictionary.GetKeyword(DicomTags.TransferSyntaxUID));
        Assert.Equal("CommandGroupLength", DicomDictionary.GetKeyword(new DicomTag(0x0000, 0x0000)));
        Assert.Equal("Item", DicomDictionary.GetKeyword(DicomTags.Item));
    }

    [Fact]
    public void Transfer_syntaxes_come_from_the_embedded_table_and_unknown_uids_default_to_encapsulated_explicit_le()
    {
        Assert.Equal(63, TransferSyntax.All.Count);
        var be = TransferSyntax.ExplicitVRBigEndian;
        Assert.True(be.IsBigEndian && be.IsExplicitVR && be.IsRetired && be.IsNative);
        Assert.True(TransferSyntax.DeflatedExplicitVRLittleEndian.IsDeflated);
        Assert.False(TransferSyntax.ImplicitVRLittleEndian.IsExplicitVR);
        var frames = TransferSyntax.Lookup("1.2.840.10008.1.2.8.1");
        Assert.True(frames.IsKnown && frames.IsEncapsulated && !frames.IsDeflated);
        Assert.True(TransferSyntax.Lookup("1.2.840.10008.1.2.4.94").IsReferencedPixelData);
        var unknown = TransferSyntax.Lookup("1.2.3.4.5\0");
        Assert.False(unknown.IsKnown);
        Assert.Equal("1.2.3.4.5", unknown.Uid);
        Assert.True(unknown.IsExplicitVR && !unknown.IsBigEndian && unknown.IsEncapsulated);
        Assert.Equal(TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.Lookup("1.2.840.10008.1.2.1 "));
    }
}
