namespace CloudArchive.Core.Lifecycle.Fixity;

/// <summary>
/// The sweep's cursor (<c>control/fixity/state.json</c>): which cycle runs, since when, and the next key-space bucket
/// to verify. A run moves it forward only after a bucket's results are recorded, so an interrupted run resumes at the
/// first bucket it did not finish.
/// </summary>
/// <param name="Cycle">The cycle number (1 for the first pass over the archive).</param>
/// <param name="CycleStarted">When this cycle began.</param>
/// <param name="NextBucket">The next bucket to verify; <see cref="FixityKeySpace.BucketCount"/> when the cycle is complete.</param>
/// <param name="Verified">Blobs verified intact in this cycle.</param>
/// <param name="Failed">Blobs that failed in this cycle.</param>
/// <param name="LastRun">When a run last recorded progress.</param>
public sealed record FixityState(int Cycle, DateTimeOffset CycleStarted, int NextBucket, long Verified, long Failed, DateTimeOffset? LastRun)
{
    /// <summary>A first cycle starting at <paramref name="now"/>.</summary>
    public static FixityState Start(DateTimeOffset now) => new(1, now, 0, 0, 0, null);

    /// <summary>Whether every bucket of this cycle was verified.</summary>
    public bool IsComplete => NextBucket >= FixityKeySpace.BucketCount;
}
