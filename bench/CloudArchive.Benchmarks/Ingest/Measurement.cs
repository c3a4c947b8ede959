namespace CloudArchive.Benchmarks.Ingest;

/// <summary>
/// One timed phase: wall time, working set (at start and peak), peak anonymous resident memory (Linux RssAnon),
/// CPU time of this process and of Azurite.
/// </summary>
internal sealed record Measurement(double Seconds, long PeakBytes, long StartBytes, long PeakAnonymousBytes, long StartAnonymousBytes, double CpuSeconds, double AzuriteCpuSeconds);
