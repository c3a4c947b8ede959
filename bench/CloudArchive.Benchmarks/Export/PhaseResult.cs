using CloudArchive.Benchmarks.Ingest;

namespace CloudArchive.Benchmarks.Export;

/// <summary>
/// One row of the export benchmark: a measured phase, the instances it handled, the bytes it read and the bytes it
/// wrote (ingest: upload in, encrypted archive out; export: encrypted archive in, de-identified copies out).
/// </summary>
internal sealed record PhaseResult(string Phase, long Instances, long BytesRead, long BytesWritten, Measurement Measurement)
{
    public double InstancesPerSecond => Instances / Measurement.Seconds;

    public double ReadMBps => BytesRead / 1e6 / Measurement.Seconds;

    public double WrittenMBps => BytesWritten / 1e6 / Measurement.Seconds;
}
