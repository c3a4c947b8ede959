using System.Text;
using System.Text.Json;
using CloudArchive.Cli.Commands.Dicom;
using CloudArchive.Dicom;
using Xunit;

namespace CloudArchive.Cli.Tests.Dicom;

public sealed class DicomJsonWriterTests
{
    private static async Task<JsonElement> WriteAsync(DicomDataset ds, DicomJsonOptions? options = null)
    {
        using var buffer = new MemoryStream();
        await DicomJsonOutput.WriteAsync(ds, buffer, options ?? new DicomJsonOptions { SourceUri = "file:///x.dcm" }, TestContext.Current.CancellationToken);
        return JsonDocument.Parse(Encoding.UTF8.GetString(buffer.ToArray())).RootElement.Clone();
    }

    [Fact]
    public async Task Empty_components_of_a_multi_valued_string_are_null()
    {
        var ds = new DicomDataset();
        ds.Set(new DicomValueElement(DicomTag.Parse("(0008,0008)"), DicomVR.CS, Encoding.ASCII.GetBytes("A\\\\B ")));

        var json = await WriteAsync(ds);

        var values = json.GetProperty("00080008").GetProperty("Value").EnumerateArray().ToList();
        Assert.Equal(3, values.Count);
        Assert.Equal("A", values[0].GetString());
        Assert.Equal(JsonValueKind.Null, values[1].ValueKind);
        Assert.Equal("B", values[2].GetString());
    }

    [Fact]
    public async Task Person_name_groups_that_are_empty_are_left_out()
    {
        var ds = new DicomDataset();
        ds.Set(new DicomValueElement(DicomTag.Parse("(0010,0010)"), DicomVR.PN, Encoding.ASCII.GetBytes("==Yamada^Tarou")));

        var json = await WriteAsync(ds);

        var name = json.GetProperty("00100010").GetProperty("Value")[0];
        Assert.Equal("Yamada^Tarou", name.GetProperty("Phonetic").GetString());
        Assert.False(name.TryGetProperty("Alphabetic", out _));
        Assert.False(name.TryGetProperty("Ideographic", out _));
    }

    [Fact]
    public async Task Not_a_number_and_infinity_are_strings_and_tags_are_hex()
    {
        var ds = new DicomDataset();
        ds.Set(DicomValueElement.FromValues(DicomTag.Parse("(0018,9306)"), DicomVR.FD, double.NaN, double.NegativeInfinity, 2.5));
        ds.Set(DicomValueElement.FromTags(DicomTag.Parse("(0020,9165)"), DicomTag.Parse("(0018,9168)")));

        var json = await WriteAsync(ds);

        var fd = json.GetProperty("00189306").GetProperty("Value").EnumerateArray().ToList();
        Assert.Equal("NaN", fd[0].GetString());
        Assert.Equal("-Infinity", fd[1].GetString());
        Assert.Equal(2.5, fd[2].GetDouble());
        Assert.Equal("00189168", json.GetProperty("00209165").GetProperty("Value")[0].GetString());
    }

    [Fact]
    public async Task Decimal_strings_that_are_not_json_numbers_are_converted_or_kept_as_text()
    {
        var ds = new DicomDataset();
        ds.Set(new DicomValueElement(DicomTag.Parse("(0028,0030)"), DicomVR.DS, Encoding.ASCII.GetBytes("+1.5\\.25 \\1e3 \\abc ")));

        var json = await WriteAsync(ds);

        var v = json.GetProperty("00280030").GetProperty("Value").EnumerateArray().ToList();
        Assert.Equal(1.5, v[0].GetDouble());
        Assert.Equal(0.25, v[1].GetDouble());
        Assert.Equal(1000, v[2].GetDouble());
        Assert.Equal("abc", v[3].GetString());
    }

    [Fact]
    public async Task Short_unknown_values_are_inline_base64_and_group_lengths_are_left_out()
    {
        var ds = new DicomDataset();
        ds.Set(DicomValueElement.FromValues(DicomTag.Parse("(0009,0000)"), DicomVR.UL, 12u));
        ds.Set(new DicomValueElement(DicomTag.Parse("(0009,1001)"), DicomVR.UN, new byte[] { 1, 2, 3, 4 }));

        var json = await WriteAsync(ds);

        Assert.False(json.TryGetProperty("00090000", out _));
        Assert.Equal("AQIDBA==", json.GetProperty("00091001").GetProperty("InlineBinary").GetString());
        Assert.Equal("UN", json.GetProperty("00091001").GetProperty("vr").GetString());
    }

    [Fact]
    public async Task Empty_sequence_has_no_value_and_empty_item_is_an_empty_object()
    {
        var ds = new DicomDataset();
        ds.Set(new DicomSequence(DicomTag.Parse("(0008,1115)")));
        ds.Set(new DicomSequence(DicomTag.Parse("(0008,1140)"), [new DicomDataset()]));

        var json = await WriteAsync(ds);

        Assert.False(json.GetProperty("00081115").TryGetProperty("Value", out _));
        Assert.Empty(json.GetProperty("00081140").GetProperty("Value")[0].EnumerateObject());
    }
}
