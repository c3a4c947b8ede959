using System.Text.Json;
using Xunit;

namespace CloudArchive.Cli.Tests.Dicom;

public sealed class DicomJsonCommandTests
{
    private static async Task<JsonElement> JsonOf(params string[] args)
    {
        var r = await CliRun.RunAsync(["dicom", "json", .. args]);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal(string.Empty, r.Error);
        return JsonDocument.Parse(r.Output).RootElement.Clone();
    }

    [Fact]
    public async Task Person_name_is_split_into_alphabetic_and_ideographic_groups()
    {
        var json = await JsonOf(SamplePaths.Of("chrX1.dcm"));

        var name = json.GetProperty("00100010");
        Assert.Equal("PN", name.GetProperty("vr").GetString());
        var value = Assert.Single(name.GetProperty("Value").EnumerateArray());
        Assert.Equal("Wang^XiaoDong", value.GetProperty("Alphabetic").GetString());
        Assert.Equal("王^小東", value.GetProperty("Ideographic").GetString());
        Assert.False(value.TryGetProperty("Phonetic", out _));
    }

    [Fact]
    public async Task Sequence_items_are_nested_objects_in_the_value_array()
    {
        var json = await JsonOf(SamplePaths.Of("CT_small.dcm"));

        var other = json.GetProperty("00101002");
        Assert.Equal("SQ", other.GetProperty("vr").GetString());
        var items = other.GetProperty("Value").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal("ABCD1234", items[0].GetProperty("00100020").GetProperty("Value")[0].GetString());
        Assert.Equal("1234ABCD", items[1].GetProperty("00100020").GetProperty("Value")[0].GetString());
        Assert.Equal("LO", items[1].GetProperty("00100020").GetProperty("vr").GetString());
    }

    [Fact]
    public async Task Model_leaves_out_file_meta_and_group_lengths_and_keys_are_uppercase_hex()
    {
        var json = await JsonOf(SamplePaths.Of("chrJapMulti.dcm"));

        var keys = json.EnumerateObject().Select(p => p.Name).ToList();
        Assert.DoesNotContain(keys, k => k.StartsWith("0002", StringComparison.Ordinal));
        Assert.DoesNotContain(keys, k => k.EndsWith("0000", StringComparison.Ordinal));
        Assert.All(keys, k => Assert.Matches("^[0-9A-F]{8}$", k));
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
    }

    [Fact]
    public async Task Numbers_are_json_numbers_and_decimal_strings_keep_their_digits()
    {
        var r = await CliRun.RunAsync("dicom", "json", "--compact", SamplePaths.Of("chrJapMulti.dcm"));

        Assert.Equal(0, r.ExitCode);
        // (0018,1164) ImagerPixelSpacing DS "0.1500\0.1500": numbers, not rounded to 0.15.
        Assert.Contains("\"00181164\":{\"vr\":\"DS\",\"Value\":[0.1500,0.1500]}", r.Output, StringComparison.Ordinal);
        Assert.Contains("\"00280010\":{\"vr\":\"US\",\"Value\":[32]}", r.Output, StringComparison.Ordinal);
        Assert.Contains("\"00200011\":{\"vr\":\"IS\",\"Value\":[1]}", r.Output, StringComparison.Ordinal);
        // An empty value has a vr and no Value.
        Assert.Contains("\"00080090\":{\"vr\":\"PN\"}", r.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_integer_string_is_kept_as_text()
    {
        var json = await JsonOf(SamplePaths.Of("badVR.dcm"));

        Assert.Equal("1A", json.GetProperty("00280008").GetProperty("Value")[0].GetString());
    }

    [Fact]
    public async Task Large_binary_values_become_bulk_data_uris_naming_the_file_and_the_tag_path()
    {
        var path = SamplePaths.Of("examples_overlay.dcm");
        var json = await JsonOf(path);
        var fileUri = new Uri(Path.GetFullPath(path)).AbsoluteUri;

        Assert.Equal($"{fileUri}#7FE00010", json.GetProperty("7FE00010").GetProperty("BulkDataURI").GetString());
        Assert.Equal("OW", json.GetProperty("7FE00010").GetProperty("vr").GetString());
        var icon = json.GetProperty("00880200").GetProperty("Value")[0];
        Assert.Equal($"{fileUri}#00880200/0/7FE00010", icon.GetProperty("7FE00010").GetProperty("BulkDataURI").GetString());
        Assert.False(json.GetProperty("7FE00010").TryGetProperty("InlineBinary", out _));
    }

    [Fact]
    public async Task Bulk_uri_base_replaces_the_file_uri()
    {
        var json = await JsonOf("--bulk-uri-base", "https://archive.example/studies/1/bulkdata/", SamplePaths.Of("examples_overlay.dcm"));

        Assert.Equal("https://archive.example/studies/1/bulkdata/60003000", json.GetProperty("60003000").GetProperty("BulkDataURI").GetString());
        Assert.Equal("https://archive.example/studies/1/bulkdata/00880200/0/7FE00010", json.GetProperty("00880200").GetProperty("Value")[0].GetProperty("7FE00010").GetProperty("BulkDataURI").GetString());
    }

    [Fact]
    public async Task No_bulk_omits_bulk_attributes_and_keeps_the_rest()
    {
        var json = await JsonOf("--no-bulk", SamplePaths.Of("examples_overlay.dcm"));

        Assert.False(json.TryGetProperty("7FE00010", out _));
        Assert.False(json.TryGetProperty("60003000", out _));
        Assert.False(json.GetProperty("00880200").GetProperty("Value")[0].TryGetProperty("7FE00010", out _));
        Assert.Equal(64, json.GetProperty("00880200").GetProperty("Value")[0].GetProperty("00280010").GetProperty("Value")[0].GetInt32());
        Assert.True(json.TryGetProperty("00100010", out _));
    }

    [Fact]
    public async Task Encapsulated_pixel_data_is_always_bulk_data()
    {
        var withBulk = await JsonOf("--bulk-threshold", "100000000", SamplePaths.Of("SC_rgb_jpeg_dcmtk.dcm"));
        var without = await JsonOf("--no-bulk", SamplePaths.Of("SC_rgb_jpeg_dcmtk.dcm"));

        Assert.EndsWith("#7FE00010", withBulk.GetProperty("7FE00010").GetProperty("BulkDataURI").GetString(), StringComparison.Ordinal);
        Assert.Equal("OB", withBulk.GetProperty("7FE00010").GetProperty("vr").GetString());
        Assert.False(without.TryGetProperty("7FE00010", out _));
    }

    [Fact]
    public async Task Binary_values_up_to_the_threshold_are_inline_base64_in_little_endian_order()
    {
        var little = await JsonOf("--bulk-threshold", "8192", SamplePaths.Of("MR_small.dcm"));
        var big = await JsonOf("--bulk-threshold", "8192", SamplePaths.Of("MR_small_bigendian.dcm"));

        var a = Convert.FromBase64String(little.GetProperty("7FE00010").GetProperty("InlineBinary").GetString()!);
        var b = Convert.FromBase64String(big.GetProperty("7FE00010").GetProperty("InlineBinary").GetString()!);
        Assert.Equal(8192, a.Length);
        Assert.Equal(a, b);
    }

    [Fact]
    public async Task Json_of_a_truncated_file_writes_nothing_to_stdout_and_exits_1()
    {
        var r = await CliRun.RunAsync("dicom", "json", SamplePaths.Of("rtplan_truncated.dcm"));

        Assert.Equal(1, r.ExitCode);
        Assert.Equal(string.Empty, r.Output);
        Assert.Matches(@"^error: rtplan_truncated\.dcm is not valid DICOM: .+ at byte offset \d+, tag \([0-9A-F]{4},[0-9A-F]{4}\)", r.Error);
    }

    [Fact]
    public async Task Negative_bulk_threshold_is_a_usage_error()
    {
        var r = await CliRun.RunAsync("dicom", "json", "--bulk-threshold", "-1", SamplePaths.Of("MR_small.dcm"));

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--bulk-threshold", r.Error, StringComparison.Ordinal);
    }
}
