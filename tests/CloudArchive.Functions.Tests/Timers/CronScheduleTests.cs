using CloudArchive.Functions.LocalHost;
using Xunit;

namespace CloudArchive.Functions.Tests.Timers;

public sealed class CronScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 10, 17, 42, 500, TimeSpan.Zero);

    [Theory]
    [InlineData("0 */15 * * * *", "2026-12-06T10:30:00Z")]
    [InlineData("0 0 2 * * *", "2026-12-07T02:00:00Z")]
    [InlineData("0 5 * * * *", "2026-12-06T11:05:00Z")]
    [InlineData("*/10 * * * * *", "2026-12-06T10:17:50Z")]
    [InlineData("0 0 0 1 1 *", "2027-01-01T00:00:00Z")]
    [InlineData("0 0 9 * * 1-5", "2026-12-07T09:00:00Z")]
    [InlineData("0 0 12 * * 0", "2026-12-06T12:00:00Z")]
    [InlineData("30 15,45 10 * * *", "2026-12-06T10:45:30Z")]
    [InlineData("00:05:00", "2026-12-06T10:22:42.5Z")]
    public void Next_occurrence_follows_the_NCRONTAB_fields(string expression, string expected)
    {
        var next = CronSchedule.Parse(expression).Next(Start);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), next);
    }

    [Fact]
    public void Next_is_strictly_after_an_instant_that_matches()
    {
        var schedule = CronSchedule.Parse("0 0 * * * *");
        var onTheHour = new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

        Assert.Equal(onTheHour.AddHours(1), schedule.Next(onTheHour));
    }

    [Theory]
    [InlineData("* * * * *")]
    [InlineData("0 60 * * * *")]
    [InlineData("0 0 25 * * *")]
    [InlineData("0 0 0 0 * *")]
    [InlineData("0 0 0 * 13 *")]
    [InlineData("0 0 0 * * 7")]
    [InlineData("0 10-5 * * * *")]
    [InlineData("0 */0 * * * *")]
    [InlineData("0 0 0 * JAN *")]
    [InlineData("00:00:00")]
    [InlineData("")]
    public void A_schedule_the_host_would_not_run_is_refused(string expression)
    {
        Assert.Throws<FormatException>(() => CronSchedule.Parse(expression));
    }

    [Fact]
    public void A_date_that_never_comes_is_reported_instead_of_looping()
    {
        var never = CronSchedule.Parse("0 0 0 31 2 *");

        Assert.Throws<InvalidOperationException>(() => never.Next(Start));
    }
}
