using Xunit;

namespace CloudArchive.Deidentification.Tests;

public class PixelPolicyTests
{
    private static readonly PixelRule Rule = new("acme", "ACME", "Sono 1", 4, 6, [new PixelRectangle(0, 0, 6, 1)]);
    private static readonly PixelPolicy Policy = new(true, ["US", "SC", "OT", "XC"], [Rule]);

    [Fact]
    public void Burned_in_yes_without_a_rule_is_refused()
    {
        var d = Policy.Decide(true, false, "YES", "CT", "Other", null, 512, 512);
        Assert.Equal(PixelDecisionKind.Refuse, d.Kind);
        Assert.Contains("YES", d.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("US")]
    [InlineData("OT")]
    [InlineData("XC")]
    public void Absent_flag_for_suspect_modalities_is_refused(string modality)
    {
        Assert.Equal(PixelDecisionKind.Refuse, Policy.Decide(true, false, null, modality, "Other", null, 10, 10).Kind);
    }

    [Fact]
    public void Absent_flag_for_ct_passes_and_no_flag_is_the_same_as_no()
    {
        Assert.Equal(PixelDecisionKind.Pass, Policy.Decide(true, false, null, "CT", "GE", null, 512, 512).Kind);
        Assert.Equal(PixelDecisionKind.Pass, Policy.Decide(true, false, "NO", "US", "GE", null, 512, 512).Kind);
    }

    [Fact]
    public void Matching_rule_blanks_native_and_refuses_compressed_pixels()
    {
        Assert.Equal(PixelDecisionKind.Blank, Policy.Decide(true, false, "YES", "US", " acme ", "SONO 1", 4, 6).Kind);
        Assert.Equal(PixelDecisionKind.Refuse, Policy.Decide(true, true, "YES", "US", "ACME", "Sono 1", 4, 6).Kind);
        Assert.Equal(PixelDecisionKind.Refuse, Policy.Decide(true, false, "YES", "US", "ACME", "Sono 1", 5, 6).Kind);
    }

    [Fact]
    public void Instances_without_pixel_data_pass()
    {
        Assert.Equal(PixelDecisionKind.Pass, Policy.Decide(false, false, "YES", "SR", null, null, null, null).Kind);
    }

    [Fact]
    public void Permissive_policy_can_switch_refusals_off()
    {
        var p = new PixelPolicy(false, [], []);
        Assert.Equal(PixelDecisionKind.Pass, p.Decide(true, false, "YES", "US", null, null, 1, 1).Kind);
    }
}
