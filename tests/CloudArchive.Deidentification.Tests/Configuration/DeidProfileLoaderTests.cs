using CloudArchive.Dicom;
using Xunit;

namespace CloudArchive.Deidentification.Tests;

public class DeidProfileLoaderTests
{
    [Fact]
    public void Full_profile_parses_into_settings()
    {
        var s = DeidProfileLoader.Parse("""
        {
          "name": "trial-42",
          "options": ["retainLongitudinalModifiedDates", "cleanDescriptors"],
          "dateShift": { "minDays": -100, "maxDays": -10 },
          "overrides": [
            { "keyword": "SeriesDescription", "action": "K" },
            { "tag": "(0018,1030)", "action": "X" },
            { "vr": "PN", "action": "Z" }
          ],
          "safePrivate": { "useStandardList": true, "local": [ { "creator": "ACME 1.0", "group": "0029", "offset": "10" } ],
                           "exclude": [ { "creator": "HOLOGIC, Inc.", "group": "7E01", "offset": "12" } ] },
          "pixel": { "refuseWhenBurnedInYes": true, "refuseWhenAbsentForModalities": ["US"],
                     "rules": [ { "name": "acme-us", "manufacturer": "ACME", "model": "Sono 1", "rows": 480, "columns": 640,
                                  "rectangles": [ { "x": 0, "y": 0, "width": 640, "height": 40 } ] } ] }
        }
        """, [DeidOption.RetainUids]);
        Assert.Equal("trial-42", s.Name);
        Assert.True(s.Options.SetEquals([DeidOption.RetainLongitudinalModifiedDates, DeidOption.CleanDescriptors, DeidOption.RetainUids]));
        Assert.Equal(-100, s.MinShiftDays);
        Assert.Equal(3, s.Overrides.Count);
        Assert.Equal(new DicomTag(0x0008, 0x103E), s.Overrides[0].Tag);
        Assert.True(s.SafePrivate.Contains("ACME 1.0", 0x0029, 0x10));
        Assert.False(s.SafePrivate.Contains("HOLOGIC, Inc.", 0x7E01, 0x12));
        Assert.True(s.SafePrivate.Contains("GEMS_ACQU_01", 0x0019, 0x23));
        Assert.Single(s.Pixel.Rules);
        Assert.Contains("US", s.Pixel.RefuseWhenAbsentForModalities);
    }

    [Theory]
    [InlineData("""{"options":[]}""", "$.name")]
    [InlineData("""{"name":"a","optoins":[]}""", "$.optoins")]
    [InlineData("""{"name":"a","options":["retainEverything"]}""", "$.options[0]")]
    [InlineData("""{"name":"a","options":["retainLongitudinalFullDates","retainLongitudinalModifiedDates"]}""", "options")]
    [InlineData("""{"name":"a","dateShift":{"minDays":10,"maxDays":-10}}""", "dateShift")]
    [InlineData("""{"name":"a","dateShift":{"minDays":"x"}}""", "$.dateShift.minDays")]
    [InlineData("""{"name":"a","overrides":[{"tag":"(0010,00ZZ)","action":"K"}]}""", "$.overrides[0].tag")]
    [InlineData("""{"name":"a","overrides":[{"tag":"(0019,1010)","action":"K"}]}""", "$.overrides[0].tag")]
    [InlineData("""{"name":"a","overrides":[{"keyword":"patientname","action":"K"}]}""", "$.overrides[0].keyword")]
    [InlineData("""{"name":"a","overrides":[{"keyword":"PatientName","tag":"(0010,0010)","action":"K"}]}""", "$.overrides[0]")]
    [InlineData("""{"name":"a","overrides":[{"vr":"PN","action":"Q"}]}""", "$.overrides[0].action")]
    [InlineData("""{"name":"a","overrides":[{"vr":"XX","action":"K"}]}""", "$.overrides[0].vr")]
    [InlineData("""{"name":"a","safePrivate":{"local":[{"creator":"A","group":"0018","offset":"10"}]}}""", "$.safePrivate.local[0].group")]
    [InlineData("""{"name":"a","safePrivate":{"local":[{"creator":"A","group":"0019","offset":"1010"}]}}""", "$.safePrivate.local[0].offset")]
    [InlineData("""{"name":"a","pixel":{"rules":[{"name":"r","manufacturer":"M","rows":10,"columns":10,"rectangles":[{"x":5,"y":0,"width":6,"height":1}]}]}}""", "$.pixel.rules[0].rectangles[0]")]
    [InlineData("""{"name":"a","pixel":{"rules":[{"name":"r","manufacturer":"M","rectangles":[]}]}}""", "$.pixel.rules[0].rectangles")]
    [InlineData("""{"name":"a","pixel":{"refuseWhenAbsentForModalities":["us"]}}""", "$.pixel.refuseWhenAbsentForModalities[0]")]
    [InlineData("""{"name":"a",""", "$")]
    public void Invalid_profiles_fail_with_the_json_path_of_the_problem(string json, string location)
    {
        var e = Assert.Throws<DeidConfigurationException>(() => DeidProfileLoader.Parse(json));
        Assert.Equal(location, e.Location);
        Assert.False(string.IsNullOrWhiteSpace(e.Reason));
    }

    [Fact]
    public void Option_list_parses_names_and_rejects_unknown_ones()
    {
        Assert.Equal([DeidOption.RetainUids, DeidOption.CleanGraphics], DeidProfileLoader.ParseOptionList("retainUIDs, cleanGraphics"));
        Assert.Empty(DeidProfileLoader.ParseOptionList(""));
        var e = Assert.Throws<DeidConfigurationException>(() => DeidProfileLoader.ParseOptionList("retainUIDs,bogus"));
        Assert.Contains("bogus", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shipped_profiles_in_data_deid_are_valid()
    {
        var dir = Path.Combine(TestPaths.RepositoryRoot, "data", "deid");
        var files = Directory.GetFiles(dir, "*.profile.json");
        Assert.NotEmpty(files);
        foreach (var f in files)
        {
            var s = await DeidProfileLoader.LoadAsync(f, [], TestContext.Current.CancellationToken);
            Assert.False(string.IsNullOrEmpty(s.Name));
        }
    }
}
