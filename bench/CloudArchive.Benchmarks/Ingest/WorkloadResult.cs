namespace CloudArchive.Benchmarks.Ingest;

/// <summary>One row of the ingest benchmark: ingest and plain copy of the same uploads.</summary>
internal sealed record WorkloadResult(string Workload, int Instances, long Bytes, Measurement Ingest, Measurement Copy)
{
    public double Ratio => Ingest.Seconds / Copy.Seconds;

    /// <summary>The plain move (copy, then delete the upload) of the same bytes, where measured.</summary>
    public Measurement? Move { get; init; }

    public double InstancesPerSecond => Instances / Ingest.Seconds;

    public double IngestMBps => Bytes / 1e6 / Ingest.Seconds;

    public double CopyMBps => Bytes / 1e6 / Copy.Seconds;
}
