namespace CloudArchive.Benchmarks.DicomWeb;

/// <summary>
/// One measured phase of the app process: wall time, its <c>VmRSS</c> and <c>VmHWM</c> at the start and end, and the
/// peak resident memory during the phase (bytes).
/// </summary>
internal sealed record ChildPhase(string Label, double Seconds, long StartRss, long StartHighWater, long EndRss, long EndHighWater, long PeakBytes);
