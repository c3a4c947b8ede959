using System.Diagnostics;
using System.Globalization;
using CloudArchive.Core.Ingest;
using CloudArchive.Testing.Azurite;

namespace CloudArchive.Benchmarks.Ingest;

/// <summary>
/// Ingest throughput and memory on Azurite next to a plain copy of the same bytes from <c>incoming</c> to
/// <c>archive</c> with the same blob client: a generated 1 GiB multi-frame instance and a generated 200-instance study
/// (copies of <c>CT_small.dcm</c> with new UIDs), each ingested by calling <see cref="IngestService.IngestAsync"/>
/// directly with bounded parallelism. Fails when an upload does not end archived or the 1 GiB ingest's peak working
/// set reaches the limit; the 1.3× time target is reported as met or missed (it depends on the machine).
/// <c>dotnet run -c Release --project bench/CloudArchive.Benchmarks -- harness ingest [--instances N] [--mib N] [--parallelism N] [--limit-mib N] [--trace] [--read-chunk-mib N] [--only large|study] [--no-md5]</c>
/// (<c>--trace</c> counts the storage requests of each phase through a pipeline policy; <c>--read-chunk-mib</c> changes the
/// ranged-read size of the storage client, and <c>--no-md5</c> writes the archive without transactional MD5: experiments,
/// the function app uses the defaults).
/// </summary>
public sealed class IngestHarness : IHarness
{
    private const long MiB = 1024 * 1024;
    private const double TimeTarget = 1.3;
    private const string CopyPrefix = "plaincopy/";
    private const int WarmUpInstances = 40;

    /// <inheritdoc />
    public string Name => "ingest";

    /// <inheritdoc />
    public string Description => "ingest a 200-instance study and a 1 GiB instance on Azurite vs a plain blob copy; 1 GiB peak working set < 256 MiB";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var instances = 200;
        long sizeMiB = 1024;
        // The function app's host.json hands out queue messages in batches of 8 (batchSize) and tops up at 4
        // (newBatchThreshold): 8 concurrent ingests is what the app typically runs.
        var parallelism = 8;
        long limit = 256 * MiB;
        var trace = args.Contains("--trace");
        var withoutMd5 = args.Contains("--no-md5");
        int? readChunkBytes = null;
        string? only = null;
        for (var i = 0; i + 1 < args.Length; i++)
        {
            switch (args[i])
            {
                case "--instances": instances = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--mib": sizeMiB = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--parallelism": parallelism = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--limit-mib": limit = long.Parse(args[++i], CultureInfo.InvariantCulture) * MiB; break;
                case "--read-chunk-mib": readChunkBytes = (int)(int.Parse(args[++i], CultureInfo.InvariantCulture) * MiB); break;
                case "--only": only = args[++i]; break;
                default: break;
            }
        }

        var work = Directory.CreateTempSubdirectory("cloudarchive-ingest-bench-");
        try
        {
            await using var azurite = await AzuriteProcess.StartAsync(cancellationToken).ConfigureAwait(false);
            var counter = trace ? new RequestCounter() : null;
            await using var app = await IngestBenchApp.CreateAsync(azurite, work.FullName, counter, readChunkBytes, withoutMd5, cancellationToken).ConfigureAwait(false);
            var measurer = new Measurer(azurite.ProcessId, counter);
            Console.WriteLine($"ingest benchmark: Azurite (in memory) on loopback, {Environment.ProcessorCount} logical CPUs, parallelism {parallelism} for the study{(withoutMd5 ? "; EXPERIMENT: archive writes without transactional MD5" : string.Empty)}");

            var failures = new List<string>();
            await WarmUpAsync(app, failures, cancellationToken).ConfigureAwait(false);
            var rows = new List<WorkloadResult>();
            WorkloadResult? large = null;
            if (only is null or "large")
            {
                large = await RunLargeAsync(app, measurer, work.FullName, sizeMiB, failures, cancellationToken).ConfigureAwait(false);
            }

            if (only is null or "study")
            {
                rows.Add(await RunStudyAsync(app, measurer, instances, parallelism, failures, cancellationToken).ConfigureAwait(false));
            }

            if (large is not null)
            {
                rows.Add(large);
            }

            var left = 0;
            await foreach (var item in app.Incoming.GetBlobsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                left++;
            }

            if (left != 0)
            {
                failures.Add($"{left} upload(s) left in incoming");
            }

            Print(rows, limit, large is not null);
            if (large is not null && large.Ingest.PeakBytes >= limit)
            {
                failures.Add($"1 GiB ingest peak working set {large.Ingest.PeakBytes / (double)MiB:0} MiB >= {limit / MiB} MiB");
            }

            foreach (var failure in failures)
            {
                Console.WriteLine("FAIL: " + failure);
            }

            Console.WriteLine(failures.Count == 0 ? "PASS" : "FAIL");
            return failures.Count == 0 ? 0 : 1;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task<WorkloadResult> RunLargeAsync(IngestBenchApp app, Measurer measurer, string work, long sizeMiB, List<string> failures, CancellationToken cancellationToken)
    {
        var path = Path.Combine(work, "large.dcm");
        var clock = Stopwatch.StartNew();
        var length = await BenchInstances.LargeAsync(path, sizeMiB, cancellationToken).ConfigureAwait(false);
        Console.WriteLine($"generated {length / (double)MiB:0} MiB instance in {clock.Elapsed.TotalSeconds:0.0} s");

        const string name = "large/instance.dcm";
        clock.Restart();
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            await app.PutAsync(app.Incoming, name, stream, cancellationToken).ConfigureAwait(false);
        }

        File.Delete(path);
        var uploadSeconds = clock.Elapsed.TotalSeconds;

        // One plain read of the upload, to say where ingest time goes (ingest reads the upload once, streamed, besides
        // the first 4 MiB for parsing and the first and last region of the archive blob for verification).
        var readSeconds = await TimeAsync(async () =>
        {
            using var download = (await app.Incoming.GetBlobClient(name).DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            await download.Content.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        Console.WriteLine($"  large instance upload (from file) {uploadSeconds:0.00} s ({length / 1e6 / uploadSeconds:0} MB/s); plain read {readSeconds:0.00} s ({length / 1e6 / readSeconds:0} MB/s)");

        var copy = await measurer.MeasureAsync("plain copy", () => CopyAsync(app, name, cancellationToken)).ConfigureAwait(false);
        await app.Archive.GetBlobClient(CopyPrefix + name).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);

        IngestResult? result = null;
        var ingest = await measurer.MeasureAsync("ingest", async () => result = await app.IngestAsync(name, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        if (result?.Outcome != IngestOutcome.Archived)
        {
            failures.Add($"1 GiB instance ended {result?.Outcome} {result?.ReasonCode}, not Archived");
        }

        return new WorkloadResult($"1 x {length / (double)MiB:0} MiB instance", 1, length, ingest, copy);
    }

    private static async Task<WorkloadResult> RunStudyAsync(IngestBenchApp app, Measurer measurer, int count, int parallelism, List<string> failures, CancellationToken cancellationToken)
    {
        var files = await BenchInstances.StudyAsync(count, cancellationToken).ConfigureAwait(false);
        var names = Enumerable.Range(0, files.Count).Select(i => $"study/{i:D4}.dcm").ToArray();
        var bytes = files.Sum(f => (long)f.Length);
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken };
        var moveNames = names.Select(n => "move" + n).ToArray();
        await app.UploadAsync(names, files, parallelism, cancellationToken).ConfigureAwait(false);
        await app.UploadAsync(moveNames, files, parallelism, cancellationToken).ConfigureAwait(false);
        Console.WriteLine($"uploaded {files.Count} instances twice (ingest and plain move), {bytes / 1e6:0.0} MB each");

        var copy = await measurer.MeasureAsync("plain copy", () => Parallel.ForEachAsync(names, options, async (name, ct) => await CopyAsync(app, name, ct).ConfigureAwait(false))).ConfigureAwait(false);
        await DeleteCopiesAsync(app, names, options).ConfigureAwait(false);

        // A move is the least any archive that empties `incoming` must do: the copy plus deleting the upload.
        var move = await measurer.MeasureAsync("plain move", () => Parallel.ForEachAsync(moveNames, options, async (name, ct) => await MoveAsync(app, name, ct).ConfigureAwait(false))).ConfigureAwait(false);
        await DeleteCopiesAsync(app, moveNames, options).ConfigureAwait(false);

        var ingest = await measurer.MeasureAsync("ingest", () => app.IngestAllAsync(names, parallelism, failures, cancellationToken)).ConfigureAwait(false);

        return new WorkloadResult($"{files.Count}-instance study", files.Count, bytes, ingest, copy) { Move = move };
    }

    /// <summary>
    /// Before anything is measured, <see cref="WarmUpInstances"/> small instances are copied and ingested the way the
    /// study is, so both paths run tier-1 code as in the long-running function app. Without it the measured ingest paid
    /// for JIT-compiling the DICOM reader, crypto, keyring and audit paths (the copy's path is already warm from the uploads).
    /// </summary>
    private static async Task WarmUpAsync(IngestBenchApp app, List<string> failures, CancellationToken cancellationToken)
    {
        var files = await BenchInstances.StudyAsync(WarmUpInstances, cancellationToken).ConfigureAwait(false);
        var names = Enumerable.Range(0, files.Count).Select(i => $"warmup/{i:D4}.dcm").ToArray();
        var options = new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, files.Count), options, async (i, ct) =>
        {
            await app.PutAsync(app.Incoming, names[i], new MemoryStream(files[i], writable: false), ct).ConfigureAwait(false);
            await CopyAsync(app, names[i], ct).ConfigureAwait(false);
            await app.Archive.GetBlobClient(CopyPrefix + names[i]).DeleteIfExistsAsync(cancellationToken: ct).ConfigureAwait(false);
            var result = await app.IngestAsync(names[i], ct).ConfigureAwait(false);
            if (result.Outcome != IngestOutcome.Archived)
            {
                lock (failures)
                {
                    failures.Add($"warm-up instance ended {result.Outcome} {result.ReasonCode}, not Archived");
                }
            }
        }).ConfigureAwait(false);
    }

    /// <summary>The baseline: stream the upload down and up again with the same client, nothing else.</summary>
    private static async Task CopyAsync(IngestBenchApp app, string name, CancellationToken cancellationToken)
    {
        using var download = (await app.Incoming.GetBlobClient(name).DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        await app.PutAsync(app.Archive, CopyPrefix + name, download.Content, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes the baselines' copies so that they do not weigh on the next measurement.</summary>
    private static Task DeleteCopiesAsync(IngestBenchApp app, string[] names, ParallelOptions options) =>
        Parallel.ForEachAsync(names, options, async (name, ct) =>
            await app.Archive.GetBlobClient(CopyPrefix + name).DeleteIfExistsAsync(cancellationToken: ct).ConfigureAwait(false));

    /// <summary>The copy, then a plain DELETE of the upload with the same client.</summary>
    private static async Task MoveAsync(IngestBenchApp app, string name, CancellationToken cancellationToken)
    {
        await CopyAsync(app, name, cancellationToken).ConfigureAwait(false);
        await app.Incoming.GetBlobClient(name).DeleteAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var clock = Stopwatch.StartNew();
        await action().ConfigureAwait(false);
        return clock.Elapsed.TotalSeconds;
    }

    private static void Print(IReadOnlyList<WorkloadResult> rows, long limit, bool withLarge)
    {
        Console.WriteLine();
        Console.WriteLine($"{"workload",-24} {"ingest s",9} {"copy s",8} {"ratio",6} {"inst/s",8} {"ingest MB/s",12} {"copy MB/s",10} {"peak MiB ingest/copy (start)",30} {"CPU s ingest here/Azurite",26} {"CPU s copy here/Azurite",24}");
        foreach (var r in rows)
        {
            var peaks = $"{r.Ingest.PeakBytes / (double)MiB:0}/{r.Copy.PeakBytes / (double)MiB:0} ({r.Ingest.StartBytes / (double)MiB:0})";
            var ingestCpu = $"{r.Ingest.CpuSeconds:0.00}/{r.Ingest.AzuriteCpuSeconds:0.00}";
            var copyCpu = $"{r.Copy.CpuSeconds:0.00}/{r.Copy.AzuriteCpuSeconds:0.00}";
            Console.WriteLine($"{r.Workload,-24} {r.Ingest.Seconds,9:0.00} {r.Copy.Seconds,8:0.00} {r.Ratio,6:0.00} {r.InstancesPerSecond,8:0.00} {r.IngestMBps,12:0.0} {r.CopyMBps,10:0.0} {peaks,30} {ingestCpu,26} {copyCpu,24}");
        }

        Console.WriteLine();
        foreach (var r in rows)
        {
            Console.WriteLine($"{r.Workload}: time target <= {TimeTarget}x plain copy {(r.Ratio <= TimeTarget ? "MET" : "MISSED")} ({r.Ratio:0.00}x)");
            if (r.Move is { } move)
            {
                Console.WriteLine($"{r.Workload}: plain move (copy + delete of the upload) {move.Seconds:0.00} s, CPU {move.CpuSeconds:0.00} s here + {move.AzuriteCpuSeconds:0.00} s Azurite; ingest / move {r.Ingest.Seconds / move.Seconds:0.00}x");
            }
        }

        if (!withLarge)
        {
            return;
        }

        var large = rows[^1];
        Console.WriteLine($"{large.Workload}: peak working set during ingest {large.Ingest.PeakBytes / (double)MiB:0} MiB, bound < {limit / MiB} MiB: {(large.Ingest.PeakBytes < limit ? "MET" : "MISSED")} (anonymous memory {large.Ingest.StartAnonymousBytes / (double)MiB:0} -> peak {large.Ingest.PeakAnonymousBytes / (double)MiB:0} MiB)");
    }
}
