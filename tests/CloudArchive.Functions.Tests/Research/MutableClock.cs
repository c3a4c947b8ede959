namespace CloudArchive.Functions.Tests.Research;

/// <summary>A <see cref="TimeProvider"/> whose "now" the test sets (timestamps still come from the real clock, so rate limiting is real).</summary>
public sealed class MutableClock(DateTimeOffset now) : TimeProvider
{
    private long _ticks = now.UtcTicks;

    public DateTimeOffset Now
    {
        get => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);
        set => Interlocked.Exchange(ref _ticks, value.UtcTicks);
    }

    public override DateTimeOffset GetUtcNow() => Now;
}
