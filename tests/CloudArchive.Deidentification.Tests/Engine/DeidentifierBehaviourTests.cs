using CloudArchive.Dicom;
using Xunit;

namespace CloudArchive.Deidentification.Tests;

public class DeidentifierBehaviourTests
{
    private static readonly DicomTag PixelData = new(0x7FE0, 0x0010);

    private static DicomDataset Image(string modality, string? burnedIn, int rows = 4, int cols = 6)
    {
        var ds = new DicomDataset();
        ds.SetString(DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7");
        ds.SetString(DicomTags.SOPInstanceUID, "1.2.3.4.5");
        ds.SetString(new DicomTag(0x0010, 0x0010), "Doe^Jane");
        ds.SetString(new DicomTag(0x0010, 0x0020), "MRN-77");
        ds.SetString(new DicomTag(0x0008, 0x0060), modality);
        ds.SetString(new DicomTag(0x0008, 0x0070), "ACME");
        ds.SetString(new DicomTag(0x0008, 0x1090), "Sono 1");
        if (burnedIn is not null)
        {
            ds.SetString(new DicomTag(0x0028, 0x0301), burnedIn);
        }

        ds.Set(DicomValueElement.FromValues(new DicomTag(0x0028, 0x0010), DicomVR.US, (ushort)rows));
        ds.Set(DicomValueElement.FromValues(new DicomTag(0x0028, 0x0011), DicomVR.US, (ushort)cols));
        ds.Set(DicomValueElement.FromValues(new DicomTag(0x0028, 0x0002), DicomVR.US, (ushort)1));
        ds.Set(DicomValueElement.FromValues(DicomTags.BitsAllocated, DicomVR.US, (ushort)8));
        ds.Set(new DicomValueElement(PixelData, DicomVR.OB, Enumerable.Repeat((byte)200, rows * cols).ToArray()));
        return ds;
    }

    [Fact]
    public async Task Refused_instance_is_reported_with_a_typed_reason_and_left_unchanged()
    {
        var deid = new Deidentifier(DeidSettings.Basic, KeyedMapperTests.Secret());
        var file = new DicomFile(Image("US", null));
        var result = await deid.DeidentifyAsync(file, null, TestContext.Current.CancellationToken);
        Assert.False(result.Succeeded);
        Assert.Equal(InstanceOutcome.Refused, result.Report.Outcome);
        Assert.Equal(DeidFailure.PixelPolicyRefused, result.Report.Failure);
        Assert.Equal("Doe^Jane", file.Dataset.GetString(new DicomTag(0x0010, 0x0010)));
        Assert.DoesNotContain("Doe", result.Report.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pixel_rule_blanks_native_pixels_sets_burned_in_no_and_claims_clean_pixel_data()
    {
        var rule = new PixelRule("acme", "ACME", "Sono 1", 4, 6, [new PixelRectangle(0, 0, 6, 1)]);
        var settings = DeidSettings.Create("px", [], pixel: new PixelPolicy(true, PixelPolicy.DefaultSuspectModalities, [rule]));
        var deid = new Deidentifier(settings, KeyedMapperTests.Secret());
        var file = new DicomFile(Image("US", "YES"));
        using var tmp = new TempDir();
        var result = await deid.DeidentifyAsync(file, tmp.Path, TestContext.Current.CancellationToken);
        Assert.True(result.Succeeded);
        Assert.Equal("blanked", result.Report.Pixel);
        Assert.Equal("acme", result.Report.PixelRule);
        var pixels = ((DicomValueElement)file.Dataset[PixelData]).GetBytes().ToArray();
        Assert.All(pixels.Take(6), b => Assert.Equal(0, b));
        Assert.All(pixels.Skip(6), b => Assert.Equal(200, b));
        Assert.Equal("NO", file.Dataset.GetString(new DicomTag(0x0028, 0x0301)));
        var codes = ((DicomSequence)file.Dataset[new DicomTag(0x0012, 0x0064)]).Items.Select(i => i.GetString(new DicomTag(0x0008, 0x0100))).ToList();
        Assert.Contains("113101", codes);
        Assert.Single(result.SpoolFiles);
    }

    [Fact]
    public async Task Output_is_marked_with_identity_removed_method_codes_and_temporal_flag()
    {
        var settings = DeidSettings.Create("marks", [DeidOption.RetainUids, DeidOption.RetainLongitudinalFullDates, DeidOption.CleanDescriptors]);
        var deid = new Deidentifier(settings, KeyedMapperTests.Secret());
        var file = new DicomFile(Image("CT", "NO"));
        var result = await deid.DeidentifyAsync(file, null, TestContext.Current.CancellationToken);
        Assert.True(result.Succeeded);
        var ds = file.Dataset;
        Assert.Equal("YES", ds.GetString(new DicomTag(0x0012, 0x0062)));
        Assert.Contains("2024b", ds.GetStrings(new DicomTag(0x0012, 0x0063))[0], StringComparison.Ordinal);
        var items = ((DicomSequence)ds[new DicomTag(0x0012, 0x0064)]).Items;
        Assert.Equal(["113100", "113110", "113106", "113105"], items.Select(i => i.GetString(new DicomTag(0x0008, 0x0100))!).ToArray());
        Assert.All(items, i => Assert.Equal("DCM", i.GetString(new DicomTag(0x0008, 0x0102))));
        Assert.Equal("UNMODIFIED", ds.GetString(new DicomTag(0x0028, 0x0303)));
        Assert.Equal("1.2.3.4.5", ds.GetString(DicomTags.SOPInstanceUID));
    }

    [Fact]
    public async Task Basic_profile_marks_dates_removed_and_pseudonymizes_patient()
    {
        var deid = new Deidentifier(DeidSettings.Basic, KeyedMapperTests.Secret());
        var file = new DicomFile(Image("CT", "NO"));
        await deid.DeidentifyAsync(file, null, TestContext.Current.CancellationToken);
        Assert.Equal("REMOVED", file.Dataset.GetString(new DicomTag(0x0028, 0x0303)));
        Assert.Equal(deid.Mapper.PatientId("(0010,0020)MRN-77"), file.Dataset.GetString(new DicomTag(0x0010, 0x0020)));
        Assert.StartsWith("ANON^", file.Dataset.GetString(new DicomTag(0x0010, 0x0010)), StringComparison.Ordinal);
        Assert.StartsWith("2.25.", file.Dataset.GetString(DicomTags.SOPInstanceUID), StringComparison.Ordinal);
        Assert.Null(file.Preamble);
    }

    [Fact]
    public async Task Report_names_tag_paths_and_never_values()
    {
        var ds = Image("CT", "NO");
        var item = new DicomDataset();
        item.SetString(new DicomTag(0x0010, 0x0020), "NESTED-ID-991");
        ds.Set(new DicomSequence(new DicomTag(0x0010, 0x1002), [item]));
        ds.SetString(new DicomTag(0x0008, 0x1030), "Study of Doe");
        var deid = new Deidentifier(DeidSettings.Create("r", [DeidOption.CleanDescriptors]), KeyedMapperTests.Secret());
        var result = await deid.DeidentifyAsync(new DicomFile(ds), null, TestContext.Current.CancellationToken);
        var json = result.Report.ToJson();
        foreach (var value in new[] { "Doe", "MRN-77", "NESTED-ID-991", "1.2.3.4.5", "ACME", "Sono" })
        {
            Assert.DoesNotContain(value, json, StringComparison.Ordinal);
        }

        Assert.Contains(result.Report.Attributes, a => a.Path == "(0010,1002)" && a.Outcome == AttributeOutcome.Removed);
        Assert.Contains(result.Report.Attributes, a => a.Path == "(0008,1030)" && a.Outcome == AttributeOutcome.Cleaned && a.Source == "cleanDescriptors");
        Assert.Contains("\"removed\"", json, StringComparison.Ordinal);
        Assert.Contains("2024b", json, StringComparison.Ordinal);

        // The documented shape (docs/deidentification.md §10): camelCase names and enum values, nulls left out.
        var root = System.Text.Json.JsonDocument.Parse(json).RootElement;
        Assert.Equal("deidentified", root.GetProperty("outcome").GetString());
        Assert.False(root.TryGetProperty("failure", out _));
        Assert.Equal(["cleanDescriptors"], root.GetProperty("options").EnumerateArray().Select(o => o.GetString()!).ToArray());
        var removed = root.GetProperty("attributes").EnumerateArray().First(a => a.GetProperty("path").GetString() == "(0010,1002)");
        Assert.Equal("removed", removed.GetProperty("outcome").GetString());
        Assert.Equal("X", removed.GetProperty("code").GetString());
        Assert.True(root.GetProperty("counts").GetProperty("removed").GetInt32() >= 1);
    }

    [Fact]
    public async Task Safe_private_attributes_of_a_real_GE_file_are_kept_with_their_creator_and_others_removed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var file = await DicomFile.OpenAsync(Path.Combine(TestPaths.Samples, "CT_small.dcm"), null, ct);
        var before = file.Dataset.Where(e => e.Tag.IsPrivateData).ToList();
        var deid = new Deidentifier(DeidSettings.Create("safe", [DeidOption.RetainSafePrivate]), KeyedMapperTests.Secret());
        var result = await deid.DeidentifyAsync(file, null, ct);
        Assert.True(result.Succeeded);
        var kept = file.Dataset.Where(e => e.Tag.IsPrivateData).ToList();
        Assert.NotEmpty(kept);
        Assert.True(kept.Count < before.Count);
        foreach (var e in kept)
        {
            var creator = file.Dataset.GetPrivateCreator(e.Tag);
            Assert.NotNull(creator);
            Assert.True(SafePrivateList.Standard.Contains(creator!, e.Tag.Group, (byte)(e.Tag.Element & 0xFF)));
        }

        var creators = file.Dataset.Where(e => e.Tag.IsPrivateCreator).Select(e => e.Tag).ToList();
        Assert.All(creators, c => Assert.Contains(kept, k => k.Tag.PrivateCreatorTag == c));
        Assert.Equal("113111", ((DicomSequence)file.Dataset[new DicomTag(0x0012, 0x0064)]).Items[1].GetString(new DicomTag(0x0008, 0x0100)));
    }

    [Fact]
    public async Task Overrides_by_keyword_and_vr_take_precedence_over_the_table()
    {
        var settings = DeidProfileLoader.Parse("""
            { "name": "o", "overrides": [ { "keyword": "Manufacturer", "action": "X" }, { "vr": "PN", "action": "X" } ] }
            """);
        var deid = new Deidentifier(settings, KeyedMapperTests.Secret());
        var file = new DicomFile(Image("CT", "NO"));
        var result = await deid.DeidentifyAsync(file, null, TestContext.Current.CancellationToken);
        Assert.Null(file.Dataset.Get(new DicomTag(0x0008, 0x0070)));
        Assert.Null(file.Dataset.Get(new DicomTag(0x0010, 0x0010)));
        Assert.Contains(result.Report.Attributes, a => a.Path == "(0010,0010)" && a.Source == "override vr PN");
    }

    [Fact]
    public async Task Explicit_VR_UN_sample_is_matched_by_tag()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var file = await DicomFile.OpenAsync(Path.Combine(TestPaths.Samples, "explicit_VR-UN.dcm"), null, ct);
        var name = file.Dataset.Get(new DicomTag(0x0010, 0x0010));
        Assert.Equal(DicomVR.UN, name!.VR);
        var deid = new Deidentifier(DeidSettings.Create("un", [], pixel: new PixelPolicy(false, [], [])), KeyedMapperTests.Secret());
        var result = await deid.DeidentifyAsync(file, null, ct);
        Assert.True(result.Succeeded);
        var after = file.Dataset.Get(new DicomTag(0x0010, 0x0010))!;
        Assert.Equal(DicomVR.PN, after.VR);
        Assert.StartsWith("ANON^", file.Dataset.GetString(new DicomTag(0x0010, 0x0010)), StringComparison.Ordinal);
        Assert.Equal(string.Empty, file.Dataset.GetString(new DicomTag(0x0008, 0x0020)) ?? string.Empty);
    }

    [Fact]
    public async Task Every_value_of_a_multi_valued_uid_is_mapped_and_registry_uids_are_kept()
    {
        var ds = Image("CT", "NO");
        var item = new DicomDataset();
        item.Set(DicomValueElement.FromStrings(new DicomTag(0x0008, 0x1155), DicomVR.UI, ["1.2.3.4", "1.2.3.5"]));
        item.Set(DicomValueElement.FromStrings(new DicomTag(0x0008, 0x1150), DicomVR.UI, ["1.2.840.10008.5.1.4.1.1.2"]));
        ds.Set(new DicomSequence(new DicomTag(0x0008, 0x1140), [item]));
        ds.Set(DicomValueElement.FromStrings(new DicomTag(0x0020, 0x0052), DicomVR.UI, ["1.2.840.10008.1.4.1.1"]));
        var deid = new Deidentifier(DeidSettings.Basic, KeyedMapperTests.Secret());
        await deid.DeidentifyAsync(new DicomFile(ds), null, TestContext.Current.CancellationToken);
        var outItem = ((DicomSequence)ds[new DicomTag(0x0008, 0x1140)]).Items[0];
        Assert.Equal([deid.Mapper.MapUid("1.2.3.4"), deid.Mapper.MapUid("1.2.3.5")], outItem.GetStrings(new DicomTag(0x0008, 0x1155)));
        Assert.Equal("1.2.840.10008.5.1.4.1.1.2", outItem.GetString(new DicomTag(0x0008, 0x1150)));
        Assert.Equal("1.2.840.10008.1.4.1.1", ds.GetString(new DicomTag(0x0020, 0x0052)));
    }

    [Fact]
    public async Task DICOMDIR_is_refused_with_a_typed_reason_and_its_records_are_left_untouched()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = Path.Combine(TestPaths.Samples, "DICOMDIR");
        await using var file = await DicomFile.OpenAsync(path, null, ct);
        var before = file.Dataset.Descendants().OfType<DicomValueElement>().Where(e => e.Tag == new DicomTag(0x0010, 0x0020)).Select(e => e.GetString()).ToList();
        Assert.NotEmpty(before);
        var deid = new Deidentifier(DeidSettings.Basic, KeyedMapperTests.Secret());
        var result = await deid.DeidentifyAsync(file, null, ct);
        Assert.False(result.Succeeded);
        Assert.Equal(InstanceOutcome.Refused, result.Report.Outcome);
        Assert.Equal(DeidFailure.MediaDirectoryRefused, result.Report.Failure);
        Assert.Empty(result.Report.Attributes);
        Assert.Empty(result.SpoolFiles);
        var after = file.Dataset.Descendants().OfType<DicomValueElement>().Where(e => e.Tag == new DicomTag(0x0010, 0x0020)).Select(e => e.GetString()).ToList();
        Assert.Equal(before, after);
        Assert.All(before, id => Assert.DoesNotContain(id.Trim(), result.Report.ToJson(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Blanked_pixels_are_written_to_the_output_file_and_the_spool_file_is_deleted()
    {
        var ct = TestContext.Current.CancellationToken;
        using var tmp = new TempDir();
        var input = Path.Combine(tmp.Sub("in"), "us.dcm");
        await new DicomFile(Image("US", "YES", rows: 8, cols: 10)).SaveAsync(input, null, ct);
        var rule = new PixelRule("band", "ACME", null, 8, 10, [new PixelRectangle(0, 0, 10, 2)]);
        var settings = DeidSettings.Create("px", [], pixel: new PixelPolicy(true, PixelPolicy.DefaultSuspectModalities, [rule]));
        var outDir = tmp.Sub("out");
        var (report, output) = await new DeidFileProcessor(new Deidentifier(settings, KeyedMapperTests.Secret())).ProcessAsync(input, outDir, null, ct);
        Assert.Equal(InstanceOutcome.Deidentified, report.Outcome);
        Assert.Equal(output, Assert.Single(Directory.GetFiles(outDir)));
        await using var d = await DicomFile.OpenAsync(output!, null, ct);
        var px = ((DicomValueElement)d.Dataset[PixelData]).GetBytes().ToArray();
        Assert.Equal(80, px.Length);
        Assert.All(px.Take(20), b => Assert.Equal(0, b));
        Assert.All(px.Skip(20), b => Assert.Equal(200, b));
    }
}
