namespace CloudArchive.Core.Lifecycle.Fixity;

/// <summary>What one sweep run did.</summary>
/// <param name="Cycle">The cycle it worked on.</param>
/// <param name="FirstBucket">The first bucket it verified.</param>
/// <param name="BucketsDone">How many buckets it finished.</param>
/// <param name="Verified">Blobs found intact.</param>
/// <param name="Failed">Blobs that failed verification.</param>
/// <param name="Skipped">Blobs of shredded studies or deleted meanwhile.</param>
/// <param name="Resolved">Open findings whose blob now verifies (or is gone).</param>
/// <param name="CycleComplete">Whether the cycle's last bucket is done.</param>
/// <param name="StoppedEarly">Whether it stopped at its time limit before reaching its target (the next run continues).</param>
public sealed record FixitySweepResult(int Cycle, int FirstBucket, int BucketsDone, long Verified, long Failed, long Skipped, int Resolved, bool CycleComplete, bool StoppedEarly);
