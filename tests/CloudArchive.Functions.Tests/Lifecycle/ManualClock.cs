namespace CloudArchive.Functions.Tests.Lifecycle;

/// <summary>A clock the test moves: the lifecycle services decide by elapsed time (stale uploads, the sweep's period).</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
