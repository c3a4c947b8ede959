using System.Diagnostics;

namespace CloudArchive.Benchmarks.Ingest;

/// <summary>
/// Times a phase after a full GC, samples the working set during it, and reads the CPU time this process and the
/// Azurite (node) process spent in it, so a slow phase can be attributed to our code or to the storage emulator.
/// </summary>
internal sealed class Measurer(int azuriteProcessId, RequestCounter? counter)
{
    public async Task<Measurement> MeasureAsync(string label, Func<Task> action)
    {
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        counter?.Reset();
        using var self = Process.GetCurrentProcess();
        using var azurite = Process.GetProcessById(azuriteProcessId);
        var cpu = self.TotalProcessorTime;
        var azuriteCpu = azurite.TotalProcessorTime;
        using var sampler = new WorkingSetSampler();
        var start = sampler.Peak;
        var startAnonymous = WorkingSetSampler.ReadAnonymousRss();
        var allocated = GC.GetTotalAllocatedBytes(precise: false);
        var gen2 = GC.CollectionCount(2);
        var gen0 = GC.CollectionCount(0);
        var gen1 = GC.CollectionCount(1);
        var clock = Stopwatch.StartNew();
        await action().ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        self.Refresh();
        azurite.Refresh();
        var result = new Measurement(seconds, sampler.Peak, start, sampler.PeakAnonymous, startAnonymous, (self.TotalProcessorTime - cpu).TotalSeconds, (azurite.TotalProcessorTime - azuriteCpu).TotalSeconds);
        Console.WriteLine($"  {label}: {seconds:0.00} s wall, CPU {result.CpuSeconds:0.00} s here + {result.AzuriteCpuSeconds:0.00} s Azurite, working set {start / 1048576.0:0} -> peak {result.PeakBytes / 1048576.0:0} MiB (anonymous {startAnonymous / 1048576.0:0} -> {result.PeakAnonymousBytes / 1048576.0:0} MiB)");
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        Console.WriteLine($"    managed: allocated {(GC.GetTotalAllocatedBytes(precise: false) - allocated) / 1048576.0:0} MiB in the phase, GCs gen0/1/2 {GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2}, last GC heap {info.HeapSizeBytes / 1048576.0:0} MiB, committed {info.TotalCommittedBytes / 1048576.0:0} MiB");
        if (counter is not null)
        {
            foreach (var line in counter.Report())
            {
                Console.WriteLine("    " + line);
            }
        }

        return result;
    }
}
