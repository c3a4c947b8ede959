using CloudArchive.Functions.Research;
using Xunit;

namespace CloudArchive.Functions.Tests.Research;

/// <summary>How refusals are aggregated into a bounded number of audit lines.</summary>
public sealed class DenialAuditThrottleTests
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_first_refusal_of_a_window_is_written_and_the_repeats_come_out_as_one_counted_line_after_it()
    {
        var clock = new MutableClock(Start);
        var throttle = new DenialAuditThrottle(clock, TimeSpan.FromMinutes(1));

        Assert.True(throttle.Record("a", "missing-role"));
        Assert.Equal(199, Enumerable.Range(0, 199).Count(_ => !throttle.Record("a", "missing-role")));
        Assert.Empty(throttle.TakeExpired()); // the window is still open

        clock.Now = Start.AddMinutes(1);

        Assert.Equal([("a", "missing-role", "repeated=199")], throttle.TakeExpired());
        Assert.Empty(throttle.TakeExpired());
        Assert.True(throttle.Record("a", "missing-role")); // a new window
    }

    [Fact]
    public void Every_distinct_actor_and_reason_gets_its_own_first_line()
    {
        var throttle = new DenialAuditThrottle(new MutableClock(Start));

        Assert.True(throttle.Record("a", "not-recipient"));
        Assert.True(throttle.Record("b", "not-recipient"));
        Assert.True(throttle.Record("a", "rate-limited"));
        Assert.False(throttle.Record("a", "not-recipient"));
    }

    [Fact]
    public void A_refusal_after_the_window_opens_the_next_one_and_the_old_count_is_still_reported()
    {
        var clock = new MutableClock(Start);
        var throttle = new DenialAuditThrottle(clock, TimeSpan.FromMinutes(1));
        throttle.Record("a", "x");
        throttle.Record("a", "x");
        throttle.Record("a", "x");

        clock.Now = Start.AddMinutes(2);
        Assert.True(throttle.Record("a", "x"));
        Assert.False(throttle.Record("a", "x"));

        Assert.Equal([("a", "x", "repeated=2")], throttle.TakeExpired());
        clock.Now = Start.AddMinutes(4);
        Assert.Equal([("a", "x", "repeated=1")], throttle.TakeExpired());
    }
}
