using Xunit;

namespace CloudArchive.Deidentification.Tests;

public class SafePrivateListTests
{
    [Fact]
    public void Shipped_list_records_its_edition_and_matches_by_creator_group_and_offset()
    {
        var l = SafePrivateList.Standard;
        Assert.Contains("2020", l.Edition, StringComparison.Ordinal);
        Assert.True(l.Count >= 100);
        Assert.True(l.Contains("GEMS_ACQU_01", 0x0019, 0x23));
        Assert.True(l.Contains("GEMS_ACQU_01  ", 0x0019, 0x23));
        Assert.False(l.Contains("gems_acqu_01", 0x0019, 0x23));
        Assert.False(l.Contains("GEMS_ACQU_01", 0x0019, 0x24 + 1));
        Assert.True(l.Contains("SIEMENS MR HEADER", 0x0019, 0x0C));
    }
}
