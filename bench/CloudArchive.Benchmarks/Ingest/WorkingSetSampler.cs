using System.Diagnostics;

namespace CloudArchive.Benchmarks.Ingest;

/// <summary>
/// Samples this process's working set every 10 ms while alive. The OS high-water mark
/// (<see cref="Process.PeakWorkingSet64"/>) covers the whole process lifetime, so it cannot isolate one workload.
/// </summary>
internal sealed class WorkingSetSampler : IDisposable
{
    private readonly Process _process;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peak;
    private long _peakAnonymous;

    public WorkingSetSampler()
    {
        _process = Process.GetCurrentProcess(); // its own instance: Process is not thread-safe
        _process.Refresh();
        _peak = _process.WorkingSet64;
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                _process.Refresh();
                var now = _process.WorkingSet64;
                if (now > Interlocked.Read(ref _peak))
                {
                    Interlocked.Exchange(ref _peak, now);
                }

                var anonymous = ReadAnonymousRss();
                if (anonymous > Interlocked.Read(ref _peakAnonymous))
                {
                    Interlocked.Exchange(ref _peakAnonymous, anonymous);
                }

                try
                {
                    await Task.Delay(10, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });
    }

    /// <summary>The highest working set seen so far, in bytes.</summary>
    public long Peak => Interlocked.Read(ref _peak);

    /// <summary>
    /// The highest anonymous resident memory (Linux <c>RssAnon</c>: heaps, stacks, buffers; without the mapped
    /// assemblies and runtime files counted in the working set) seen so far, in bytes; 0 where not available.
    /// </summary>
    public long PeakAnonymous => Interlocked.Read(ref _peakAnonymous);

    /// <summary>Current <c>RssAnon</c> of this process in bytes, or 0 outside Linux.</summary>
    public static long ReadAnonymousRss()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
            {
                var kib = line["RssAnon:".Length..].Trim().Split(' ')[0];
                return long.Parse(kib, System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _loop.GetAwaiter().GetResult();
        _stop.Dispose();
        _process.Dispose();
    }
}
