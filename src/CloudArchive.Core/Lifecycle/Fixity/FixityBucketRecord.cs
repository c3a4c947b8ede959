namespace CloudArchive.Core.Lifecycle.Fixity;

/// <summary>
/// The recorded results of one bucket in one cycle (<c>control/fixity/cycles/{cycle}/{prefix}.json</c>): every blob's
/// outcome. Written whole when the bucket is done, so a re-run of the same bucket writes the same record again.
/// </summary>
/// <param name="Cycle">The cycle.</param>
/// <param name="Bucket">The bucket index.</param>
/// <param name="Prefix">The study-key prefix of the bucket.</param>
/// <param name="CompletedAt">When the bucket's last blob was verified.</param>
/// <param name="Results">Each blob's result, in name order.</param>
public sealed record FixityBucketRecord(int Cycle, int Bucket, string Prefix, DateTimeOffset CompletedAt, IReadOnlyList<FixityResult> Results);
