namespace CloudArchive.Benchmarks.Ingest;

/// <summary>One timed phase: wall time, working set (at start and peak), CPU time of this process and of Azurite.</summary>
internal sealed record Measurement(double Seconds, long PeakBytes, long StartBytes, double CpuSeconds, double AzuriteCpuSeconds);
