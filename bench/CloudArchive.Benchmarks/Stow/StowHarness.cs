using System.Globalization;
using CloudArchive.Benchmarks.Ingest;
using CloudArchive.Core.Ingest;
using CloudArchive.Testing.Azurite;

namespace CloudArchive.Benchmarks.Stow;

/// <summary>
/// STOW-RS throughput and memory against the app in the local host on Azurite, beside the Blob-upload path in the same
/// run: a generated 200-instance study (copies of <c>CT_small.dcm</c>) sent as <c>--requests</c> concurrent chunked
/// STOW-RS requests vs the same study Put into <c>incoming</c> and ingested with the app's own ingest handler at the
/// same parallelism (what a gateway plus the queue-triggered function do); and a generated 1 GiB multi-frame instance
/// streamed from a file in one STOW-RS request, with the peak working set of the process (the app and its client: the
/// client streams from the file through 80 KiB buffers) during it. Fails when an instance is not stored or the 1 GiB
/// peak reaches the limit; the 1.3× time target is reported as met or missed (it depends on the machine).
/// <c>dotnet run -c Release --project bench/CloudArchive.Benchmarks -- harness stow [--instances N] [--requests N] [--mib N] [--limit-mib N] [--only large|study]</c>
/// </summary>
public sealed class StowHarness : IHarness
{
    private const long MiB = 1024 * 1024;
    private const double TimeTarget = 1.3;

    /// <inheritdoc />
    public string Name => "stow";

    /// <inheritdoc />
    public string Description => "STOW-RS of a 200-instance study vs Blob upload + ingest, and a 1 GiB instance by STOW-RS; peak working set < 256 MiB";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var instances = 200;
        var requests = 8;
        long sizeMiB = 1024;
        long limit = 256 * MiB;
        string? only = null;
        for (var i = 0; i + 1 < args.Length; i++)
        {
            switch (args[i])
            {
                case "--instances": instances = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--requests": requests = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--mib": sizeMiB = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--limit-mib": limit = long.Parse(args[++i], CultureInfo.InvariantCulture) * MiB; break;
                case "--only": only = args[++i]; break;
                default: break;
            }
        }

        var work = Directory.CreateTempSubdirectory("cloudarchive-stow-bench-");
        try
        {
            await using var azurite = await AzuriteProcess.StartAsync(cancellationToken).ConfigureAwait(false);
            await using var app = await StowBenchApp.StartAsync(azurite, work.FullName, cancellationToken).ConfigureAwait(false);
            var measurer = new Measurer(azurite.ProcessId, null);
            var failures = new List<string>();
            Console.WriteLine($"stow benchmark: Azurite (in memory) on loopback, {Environment.ProcessorCount} logical CPUs, {requests} concurrent requests / uploads");

            // Both paths run warm (tier-1 code), as in the long-running function app; the 1 GiB instance goes first, so
            // its peak is not measured on top of what the study left in the heap.
            await RunStudyAsync(app, measurer, 40, requests, failures, quiet: true, cancellationToken).ConfigureAwait(false);
            if (only is null or "large")
            {
                var path = Path.Combine(work.FullName, "large.dcm");
                var length = await BenchInstances.LargeAsync(path, sizeMiB, cancellationToken).ConfigureAwait(false);
                var status = 0;
                var large = await measurer.MeasureAsync("STOW-RS 1 instance", async () => status = await app.StowAsync([() => File.OpenRead(path)], cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
                File.Delete(path);
                if (status != 200)
                {
                    failures.Add($"the {length / (double)MiB:0} MiB instance was answered {status}, not 200");
                }

                Console.WriteLine($"{length / (double)MiB:0} MiB instance by STOW-RS: {large.Seconds:0.00} s ({length / 1e6 / large.Seconds:0} MB/s), peak working set {large.PeakBytes / (double)MiB:0} MiB (start {large.StartBytes / (double)MiB:0}), bound < {limit / MiB} MiB: {(large.PeakBytes < limit ? "MET" : "MISSED")}");
                if (large.PeakBytes >= limit)
                {
                    failures.Add($"1 GiB STOW-RS peak working set {large.PeakBytes / (double)MiB:0} MiB >= {limit / MiB} MiB");
                }
            }

            if (only is null or "study")
            {
                var (stow, blob) = await RunStudyAsync(app, measurer, instances, requests, failures, quiet: false, cancellationToken).ConfigureAwait(false);
                var ratio = stow.Seconds / blob.Seconds;
                Console.WriteLine($"{instances}-instance study: STOW-RS {stow.Seconds:0.00} s ({instances / stow.Seconds:0.0} inst/s), Blob upload + ingest {blob.Seconds:0.00} s ({instances / blob.Seconds:0.0} inst/s); STOW / Blob {ratio:0.00}x, target <= {TimeTarget}x {(ratio <= TimeTarget ? "MET" : "MISSED")}");
                Console.WriteLine($"  peak working set STOW {stow.PeakBytes / (double)MiB:0} MiB, Blob {blob.PeakBytes / (double)MiB:0} MiB; CPU here STOW {stow.CpuSeconds:0.00} s, Blob {blob.CpuSeconds:0.00} s");
            }

            var left = 0;
            await foreach (var _ in app.Incoming.GetBlobsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                left++;
            }

            if (left != 0)
            {
                failures.Add($"{left} upload(s) left in incoming");
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

    private static async Task<(Measurement Stow, Measurement Blob)> RunStudyAsync(StowBenchApp app, Measurer measurer, int count, int requests, List<string> failures, bool quiet, CancellationToken cancellationToken)
    {
        var stowFiles = await BenchInstances.StudyAsync(count, cancellationToken).ConfigureAwait(false);
        var blobFiles = await BenchInstances.StudyAsync(count, cancellationToken).ConfigureAwait(false);
        var batches = stowFiles.Chunk((count + requests - 1) / requests).ToList();
        var options = new ParallelOptions { MaxDegreeOfParallelism = requests, CancellationToken = cancellationToken };

        async Task Stow() => await Parallel.ForEachAsync(batches, options, async (batch, ct) =>
        {
            var status = await app.StowAsync([.. batch.Select(b => (Func<Stream>)(() => new MemoryStream(b, writable: false)))], ct).ConfigureAwait(false);
            if (status != 200)
            {
                lock (failures)
                {
                    failures.Add($"a STOW-RS request of {batch.Length} instances was answered {status}, not 200");
                }
            }
        }).ConfigureAwait(false);

        async Task Blob() => await Parallel.ForEachAsync(Enumerable.Range(0, blobFiles.Count), options, async (i, ct) =>
        {
            var name = $"bench-{Guid.NewGuid():N}/{i:D4}.dcm";
            await app.Incoming.GetBlobClient(name).UploadAsync(new BinaryData(blobFiles[i]), ct).ConfigureAwait(false);
            var result = await app.Ingest.IngestAsync(new IngestRequest { Container = app.Containers.Incoming, BlobName = name, EventId = Guid.NewGuid().ToString("N"), CorrelationId = "bench-" + i.ToString(CultureInfo.InvariantCulture) }, ct).ConfigureAwait(false);
            if (result.Outcome != IngestOutcome.Archived)
            {
                lock (failures)
                {
                    failures.Add($"a Blob upload ended {result.Outcome} {result.ReasonCode}, not Archived");
                }
            }
        }).ConfigureAwait(false);

        if (quiet)
        {
            await Stow().ConfigureAwait(false);
            await Blob().ConfigureAwait(false);
            return default;
        }

        var blob = await measurer.MeasureAsync($"Blob upload + ingest {count} instances", Blob).ConfigureAwait(false);
        var stow = await measurer.MeasureAsync($"STOW-RS {count} instances in {batches.Count} requests", Stow).ConfigureAwait(false);
        return (stow, blob);
    }
}
