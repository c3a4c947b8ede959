using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace CloudArchive.Dicom.Tests.Json;

/// <summary>The writer's optional choices (the CLI's <c>dicom json</c> uses them); the defaults are checked against pydicom elsewhere.</summary>
public sealed class DicomJsonWriterOptionTests
{
    private static JsonNode Write(DicomDataset ds, DicomJsonWriterOptions? options = null)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            DicomJsonWriter.Write(writer, ds, options);
        }

        return JsonNode.Parse(buffer.ToArray())!;
    }

    [Fact]
    public void Omitted_binary_values_are_left_out_at_every_level_and_the_rest_is_kept()
    {
        var nested = new DicomDataset
        {
            new DicomValueElement(new DicomTag(0x0028, 0x0010), DicomVR.US, new byte[] { 64, 0 }),
            new DicomValueElement(new DicomTag(0x7FE0, 0x0010), DicomVR.OW, new byte[32]),
        };
        var ds = new DicomDataset
        {
            new DicomValueElement(new DicomTag(0x0009, 0x1001), DicomVR.OB, new byte[] { 1, 2 }),
            new DicomSequence(new DicomTag(0x0088, 0x0200), [nested]),
            new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, new DicomFragment(ReadOnlyMemory<byte>.Empty), [new DicomFragment(new byte[] { 1, 2 })]),
        };

        var json = Write(ds, new DicomJsonWriterOptions { Omit = v => v.Element is DicomFragmentSequence || v.Length > 16 });

        Assert.Equal("AQI=", (string?)json["00091001"]!["InlineBinary"]);
        Assert.Null(json["7FE00010"]);
        var item = json["00880200"]!["Value"]![0]!;
        Assert.Equal(64, (int)item["00280010"]!["Value"]![0]!);
        Assert.Null(item["7FE00010"]);
    }

    [Fact]
    public void File_meta_elements_are_left_out_at_every_level_when_asked()
    {
        var nested = new DicomDataset { new DicomValueElement(new DicomTag(0x0002, 0x0010), DicomVR.UI, "1.2.840.10008.1.2\0"u8.ToArray()) };
        var ds = new DicomDataset
        {
            new DicomValueElement(new DicomTag(0x0002, 0x0010), DicomVR.UI, "1.2.840.10008.1.2\0"u8.ToArray()),
            new DicomSequence(new DicomTag(0x0040, 0xA730), [nested]),
        };

        Assert.NotNull(Write(ds)["00020010"]);
        var json = Write(ds, new DicomJsonWriterOptions { ExcludeFileMetaGroup = true });

        Assert.Null(json["00020010"]);
        Assert.Empty(json["0040A730"]!["Value"]![0]!.AsObject());
    }

    [Fact]
    public void An_unknown_vr_is_kept_as_stored_when_asked()
    {
        // Rows (0028,0010) is US in the dictionary.
        var ds = new DicomDataset { new DicomValueElement(new DicomTag(0x0028, 0x0010), DicomVR.UN, new byte[] { 64, 0 }) };

        Assert.Equal("US", (string?)Write(ds)["00280010"]!["vr"]);
        var kept = Write(ds, new DicomJsonWriterOptions { KeepUnknownVR = true })["00280010"]!;
        Assert.Equal("UN", (string?)kept["vr"]);
        Assert.Equal("QAA=", (string?)kept["InlineBinary"]);
    }

    [Fact]
    public void Person_name_padding_is_no_value_when_asked()
    {
        var ds = new DicomDataset();
        ds.SetStrings(new DicomTag(0x0010, 0x0010), ["Doe^John^^^", "^^^^", ""]);
        ds.SetString(new DicomTag(0x0008, 0x0090), "^^^^");

        var raw = Write(ds);
        Assert.Equal("Doe^John^^^", (string?)raw["00100010"]!["Value"]![0]!["Alphabetic"]);
        Assert.Equal("^^^^", (string?)raw["00080090"]!["Value"]![0]!["Alphabetic"]);

        var trimmed = Write(ds, new DicomJsonWriterOptions { PaddingIsNoValue = true });
        var names = trimmed["00100010"]!["Value"]!.AsArray();
        Assert.Equal("Doe^John", (string?)names[0]!["Alphabetic"]);
        Assert.Null(names[1]);
        Assert.Null(names[2]);
        Assert.Equal("PN", (string?)trimmed["00080090"]!["vr"]);
        Assert.Null(trimmed["00080090"]!["Value"]);
    }

    [Fact]
    public void Text_that_is_only_padding_has_no_value_when_asked()
    {
        var ds = new DicomDataset { new DicomValueElement(new DicomTag(0x0008, 0x1010), DicomVR.SH, "    "u8.ToArray()) };

        Assert.NotNull(Write(ds)["00081010"]!["Value"]);
        var json = Write(ds, new DicomJsonWriterOptions { PaddingIsNoValue = true })["00081010"]!;
        Assert.Equal("SH", (string?)json["vr"]);
        Assert.Null(json["Value"]);
    }

    [Fact]
    public void Large_64_bit_integers_are_numbers_when_asked()
    {
        var ds = new DicomDataset { DicomValueElement.FromValues(new DicomTag(0x0018, 0x9938), DicomVR.UV, ulong.MaxValue) };

        Assert.Equal(JsonValueKind.String, Write(ds)["00189938"]!["Value"]![0]!.GetValueKind());
        var value = Write(ds, new DicomJsonWriterOptions { LargeIntegersAsStrings = false })["00189938"]!["Value"]![0]!;
        Assert.Equal(JsonValueKind.Number, value.GetValueKind());
        Assert.Equal(ulong.MaxValue, (ulong)value);
    }
}
