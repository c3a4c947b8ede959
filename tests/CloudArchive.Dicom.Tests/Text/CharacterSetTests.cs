using CloudArchive.Dicom.Tests.Support;
using Xunit;

namespace CloudArchive.Dicom.Tests.Text;

public sealed class CharacterSetTests
{
    [Fact]
    public async Task Utf8_person_name_of_chrX1_decodes_with_all_component_groups()
    {
        await using var f = await DicomFile.OpenAsync(Samples.PathOf("chrX1.dcm"), cancellationToken: TestCancellation.Token);
        Assert.Equal("ISO_IR 192", f.Dataset.CharacterSet.ToString());
        Assert.Equal("Wang^XiaoDong=王^小東=", f.Dataset.GetString(new DicomTag(0x0010, 0x0010)));
    }

    [Fact]
    public async Task Iso2022_ir87_person_names_of_chrJapMulti_decode_through_escape_sequences()
    {
        await using var f = await DicomFile.OpenAsync(Samples.PathOf("chrJapMulti.dcm"), cancellationToken: TestCancellation.Token);
        Assert.True(f.Dataset.CharacterSet.IsIso2022);
        Assert.Equal("やまだ^たろう", f.Dataset.GetString(new DicomTag(0x0010, 0x0010)));
        Assert.Equal(new[] { "やまだ^たろう", "やまだ^たろう" }, f.Dataset.GetStrings(new DicomTag(0x0010, 0x1001)));
        Assert.Equal("たろう", f.Dataset.GetString(new DicomTag(0x0010, 0x21B0)));
    }

    // Raw PatientName bytes of pydicom's charset_files (pydicom 2.3.1 decodes them to the same strings).
    [Theory]
    [InlineData("\\ISO 2022 IR 87", "59616d6164615e5461726f753d1b24423b3345441b28425e1b244242404f3a1b28423d1b24422464245e24401b28425e1b2442243f246d24261b2842", "Yamada^Tarou=山田^太郎=やまだ^たろう")]
    [InlineData("ISO 2022 IR 13\\ISO 2022 IR 87", "d4cfc0de5ec0dbb33d1b24423b3345441b284a5e1b244242404f3a1b284a3d1b24422464245e24401b284a5e1b2442243f246d24261b284a", "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう")]
    [InlineData("\\ISO 2022 IR 149", "486f6e675e47696c646f6e673d1b242943fbf35e1b242943d1ced4d73d1b242943c8ab5e1b242943b1e6b5bf", "Hong^Gildong=洪^吉洞=홍^길동")]
    [InlineData("\\ISO 2022 IR 149", "1b242943b1e8c8f1c1df1b2842", "김희중")]
    [InlineData("GB18030", "57616e675e5869616f446f6e673dcdf55ed0a1b6ab3d", "Wang^XiaoDong=王^小东=")]
    [InlineData("ISO_IR 127", "e2c8c7e6ea5ee4e6d2c7d1", "قباني^لنزار")]
    [InlineData("ISO_IR 144", "bbeeda6365dcd17970d3", "Люкceмбypг")]
    [InlineData("ISO_IR 126", "c4e9efedf5f3e9eff2", "Διονυσιος")]
    [InlineData("ISO_IR 138", "f9f8e5ef5ee3e1e5f8e4", "שרון^דבורה")]
    [InlineData("ISO_IR 100", "427563e95e4ae972f46d65", "Bucé^Jérôme")]
    [InlineData("", "41424344", "ABCD")]
    public void Person_names_decode_like_pydicom(string specificCharacterSet, string hex, string expected)
    {
        var cs = DicomCharacterSet.FromSpecificCharacterSet(specificCharacterSet.Split('\\'));
        Assert.Equal(expected, cs.Decode(Convert.FromHexString(hex), isPersonName: true));
    }

    [Fact]
    public void Iso2022_gb2312_g1_designation_decodes()
    {
        // ESC $ ) A designates GB 2312 to G1: "王" is 0xCDF5 in GB 2312.
        var cs = DicomCharacterSet.FromSpecificCharacterSet(new[] { string.Empty, "ISO 2022 IR 58" });
        Assert.Equal("Wang^王", cs.Decode(Convert.FromHexString("57616e675e1b242941cdf5"), true));
    }

    [Fact]
    public void Default_repertoire_keeps_non_ascii_bytes_as_latin1_so_nothing_is_lost()
    {
        Assert.Equal("Aé", DicomCharacterSet.Default.Decode(new byte[] { 0x41, 0xE9 }));
    }

    [Fact]
    public void Encoding_round_trips_and_rejects_unrepresentable_text()
    {
        var latin1 = DicomCharacterSet.FromSpecificCharacterSet(new[] { "ISO_IR 100" });
        Assert.Equal("Jérôme", latin1.Decode(latin1.Encode("Jérôme")));
        Assert.Throws<DicomValueException>(() => latin1.Encode("王"));
        var utf8 = DicomCharacterSet.FromSpecificCharacterSet(new[] { "ISO_IR 192" });
        Assert.Equal("王^小東", utf8.Decode(utf8.Encode("王^小東")));
        var jis = DicomCharacterSet.FromSpecificCharacterSet(new[] { string.Empty, "ISO 2022 IR 87" });
        Assert.Equal("やまだ^たろう", jis.Decode(jis.Encode("やまだ^たろう"), true));
    }

    [Fact]
    public void Items_inherit_the_character_set_of_the_enclosing_dataset()
    {
        var ds = new DicomDataset();
        ds.SetString(DicomTags.SpecificCharacterSet, "ISO_IR 192");
        var item = new DicomDataset();
        var seq = new DicomSequence(new DicomTag(0x0008, 0x1140), new[] { item });
        ds.Set(seq);
        item.SetString(new DicomTag(0x0010, 0x0010), "王^小");
        Assert.Equal("ISO_IR 192", item.CharacterSet.ToString());
        Assert.Equal("王^小", item.GetString(new DicomTag(0x0010, 0x0010)));
        var raw = ((DicomValueElement)item[new DicomTag(0x0010, 0x0010)]).Bytes.ToArray();
        Assert.Equal(0, raw.Length % 2);
        Assert.Equal((byte)' ', raw[^1]);
    }
}
