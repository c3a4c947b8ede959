using CloudArchive.Dicom;
using Xunit;

namespace CloudArchive.Deidentification.Tests;

public class ActionResolverTests
{
    [Theory]
    [InlineData("X", DeidAction.Remove)]
    [InlineData("Z", DeidAction.Empty)]
    [InlineData("D", DeidAction.Dummy)]
    [InlineData("K", DeidAction.Keep)]
    [InlineData("C", DeidAction.Clean)]
    [InlineData("U", DeidAction.ReplaceUid)]
    [InlineData("Z/D", DeidAction.Dummy)]
    [InlineData("X/Z", DeidAction.Empty)]
    [InlineData("X/D", DeidAction.Dummy)]
    [InlineData("X/Z/D", DeidAction.Dummy)]
    [InlineData("X/Z/U*", DeidAction.Keep)]
    public void Compound_codes_resolve_to_the_conformance_preserving_action(string code, DeidAction expected)
    {
        Assert.Equal(expected, ActionResolver.FromCode(code));
    }

    [Fact]
    public void Unknown_code_is_an_argument_error()
    {
        Assert.Throws<ArgumentException>(() => ActionResolver.FromCode("Y"));
    }

    [Fact]
    public void Option_column_overrides_the_basic_action()
    {
        var row = ConfidentialityProfileTable.Standard.Find(new DicomTag(0x0008, 0x0020))!; // Study Date: Z, full K, modified C
        Assert.Equal(DeidAction.Empty, ActionResolver.Resolve(row, new HashSet<DeidOption>()).Action);
        var full = ActionResolver.Resolve(row, new HashSet<DeidOption> { DeidOption.RetainLongitudinalFullDates });
        Assert.Equal(DeidAction.Keep, full.Action);
        Assert.Equal("retainLongitudinalFullDates", full.Source);
        Assert.Equal(DeidAction.Clean, ActionResolver.Resolve(row, new HashSet<DeidOption> { DeidOption.RetainLongitudinalModifiedDates }).Action);
    }

    [Fact]
    public void Options_without_a_code_in_the_row_leave_the_basic_action()
    {
        var row = ConfidentialityProfileTable.Standard.Find(new DicomTag(0x0010, 0x0010))!;
        var r = ActionResolver.Resolve(row, new HashSet<DeidOption>(DeidOptionInfo.All.Where(o => o != DeidOption.RetainLongitudinalModifiedDates)));
        Assert.Equal("basic", r.Source);
    }

    [Fact]
    public void Keep_wins_when_two_enabled_options_disagree()
    {
        var row = new ProfileRow(
            "(0001,0001)", "test", null, "LO", uint.MaxValue, 0x00010001, false, "X",
            new Dictionary<DeidOption, string> { [DeidOption.CleanDescriptors] = "C", [DeidOption.RetainPatientCharacteristics] = "K" });
        var r = ActionResolver.Resolve(row, new HashSet<DeidOption> { DeidOption.CleanDescriptors, DeidOption.RetainPatientCharacteristics });
        Assert.Equal(DeidAction.Keep, r.Action);
    }

    [Fact]
    public void Every_option_has_a_CID_7050_code_in_the_113100_range()
    {
        Assert.Equal(10, DeidOptionInfo.All.Count);
        Assert.All(DeidOptionInfo.All, o => Assert.Matches("^1131(0[3-9]|1[0-2])$", DeidOptionInfo.Code(o)));
        Assert.Equal(10, DeidOptionInfo.All.Select(DeidOptionInfo.Code).Distinct().Count());
        Assert.True(DeidOptionInfo.TryParse("retain-uids", out var o2));
        Assert.Equal(DeidOption.RetainUids, o2);
    }
}
