using CloudArchive.Core.Lifecycle.Fixity;
using Xunit;

namespace CloudArchive.Core.Tests.Lifecycle;

public sealed class FixityKeySpaceTests
{
    [Fact]
    public void Buckets_are_the_1024_two_character_study_key_prefixes_in_listing_order()
    {
        var prefixes = Enumerable.Range(0, FixityKeySpace.BucketCount).Select(FixityKeySpace.Prefix).ToList();

        Assert.Equal(1024, prefixes.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(prefixes.Order(StringComparer.Ordinal), prefixes);
        Assert.Equal("22", prefixes[0]);
        Assert.Equal("zz", prefixes[^1]);
        Assert.All(prefixes, p => Assert.Matches("^[a-z2-7]{2}$", p));
        Assert.Throws<ArgumentOutOfRangeException>(() => FixityKeySpace.Prefix(1024));
        Assert.Throws<ArgumentOutOfRangeException>(() => FixityKeySpace.Prefix(-1));
    }

    [Theory]
    [InlineData(0, 12)] // the first daily run of a 90-day period: its day's share
    [InlineData(1, 23)]
    [InlineData(44, 512)]
    [InlineData(89, 1024)] // the last run of the period completes the cycle
    [InlineData(400, 1024)] // a sweep that did not run for months catches up (bounded by the run's time limit)
    public void The_target_after_a_number_of_days_covers_the_elapsed_share_plus_this_run(int days, int expected) =>
        Assert.Equal(expected, FixityKeySpace.Target(TimeSpan.FromDays(days), TimeSpan.FromDays(90), TimeSpan.FromDays(1)));

    [Fact]
    public void A_clock_behind_the_cycle_start_counts_as_its_start() =>
        Assert.Equal(FixityKeySpace.Target(TimeSpan.Zero, TimeSpan.FromDays(90), TimeSpan.FromDays(1)), FixityKeySpace.Target(TimeSpan.FromHours(-3), TimeSpan.FromDays(90), TimeSpan.FromDays(1)));

    [Fact]
    public void Options_outside_their_bounds_are_refused_with_the_setting_named()
    {
        Assert.Empty(new FixityOptions().Validate());
        Assert.Contains(new FixityOptions { Period = TimeSpan.FromMinutes(5) }.Validate(), p => p.Contains("Fixity:Period", StringComparison.Ordinal));
        Assert.Contains(new FixityOptions { RunInterval = TimeSpan.FromDays(100) }.Validate(), p => p.Contains("RunInterval", StringComparison.Ordinal));
        Assert.Contains(new FixityOptions { MaxRunDuration = TimeSpan.Zero }.Validate(), p => p.Contains("MaxRunDuration", StringComparison.Ordinal));
    }

    [Fact]
    public void Only_instance_blob_names_yield_opaque_keys()
    {
        var keys = ArchiveBlobKeys.TryParse("studies/abcdefghijklmnopqrstuvwxyz/234567abcdefghijklmnopqrst.dcm.enc");
        Assert.NotNull(keys);
        Assert.Equal("abcdefghijklmnopqrstuvwxyz", keys.Study.Value);
        Assert.Null(ArchiveBlobKeys.TryParse("index/abcdefghijklmnopqrstuvwxyz/234567abcdefghijklmnopqrst.json.enc"));
        Assert.Null(ArchiveBlobKeys.TryParse("studies/Doe^Jane/1.2.3.dcm.enc"));
    }
}
