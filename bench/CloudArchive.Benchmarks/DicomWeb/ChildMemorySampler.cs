using System.Diagnostics;
using System.Globalization;

namespace CloudArchive.Benchmarks.DicomWeb;

/// <summary>
/// Measures another process's resident memory phase by phase from <c>/proc/{pid}/status</c>. Linux keeps one high-water
/// mark (<c>VmHWM</c>) for the process's whole life and it cannot be reset, so a phase's peak is the highest <c>VmRSS</c>
/// sampled every 100 ms during it, raised to <c>VmHWM</c> when the high-water mark moved during the phase (then the
/// process's peak was reached inside it, possibly between two samples).
/// </summary>
internal sealed class ChildMemorySampler(int processId)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>The process's current <c>VmRSS</c> and <c>VmHWM</c>, in bytes.</summary>
    public (long Rss, long HighWater) Read()
    {
        long rss = 0, hwm = 0;
        foreach (var line in File.ReadLines(string.Create(CultureInfo.InvariantCulture, $"/proc/{processId}/status")))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kib(line, "VmRSS:".Length);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                hwm = Kib(line, "VmHWM:".Length);
            }
        }

        return (rss, hwm);
    }

    /// <summary>Runs <paramref name="action"/> while sampling; returns its time and the process's memory around and during it.</summary>
    public async Task<ChildPhase> MeasureAsync(string label, Func<Task> action, CancellationToken cancellationToken)
    {
        var (startRss, startHwm) = Read();
        long maxRss = startRss;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(Interval);
            try
            {
                while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
                {
                    var rss = Read().Rss;
                    if (rss > Interlocked.Read(ref maxRss))
                    {
                        Interlocked.Exchange(ref maxRss, rss);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // The phase ended.
            }
        }, CancellationToken.None);

        var clock = Stopwatch.StartNew();
        try
        {
            await action().ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await loop.ConfigureAwait(false);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var (endRss, endHwm) = Read();
        var peak = Math.Max(Interlocked.Read(ref maxRss), endRss);
        if (endHwm > startHwm)
        {
            peak = Math.Max(peak, endHwm);
        }

        var phase = new ChildPhase(label, seconds, startRss, startHwm, endRss, endHwm, peak);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {label}: {seconds:0.00} s; app VmRSS {startRss / Mib:0} -> {endRss / Mib:0} MiB, VmHWM {startHwm / Mib:0} -> {endHwm / Mib:0} MiB, peak in phase {peak / Mib:0} MiB"));
        return phase;
    }

    private const double Mib = 1024 * 1024;

    private static long Kib(string line, int start) =>
        long.Parse(line[start..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
}
