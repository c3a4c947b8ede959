namespace CloudArchive.Benchmarks.DicomOracle;

/// <summary>One line of the results table: a tool and mode on one workload.</summary>
internal sealed record BenchRow(string Workload, string Tool, string Operation, string How, long Bytes, int Files, TimeSpan Elapsed, long PeakRssBytes, string Note = "")
{
    public double MegabytesPerSecond => Elapsed.TotalSeconds > 0 ? Bytes / 1e6 / Elapsed.TotalSeconds : double.NaN;

    /// <summary>False when the bytes were not all touched (a lazy parse), so MB/s would mislead.</summary>
    public bool RateMeaningful { get; init; } = true;

    public double FilesPerSecond => Elapsed.TotalSeconds > 0 ? Files / Elapsed.TotalSeconds : double.NaN;
}
