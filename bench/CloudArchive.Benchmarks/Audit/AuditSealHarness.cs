using System.Diagnostics;
using System.Globalization;
using CloudArchive.Azure.Audit;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Audit.Seals;
using CloudArchive.Testing.Azurite;

namespace CloudArchive.Benchmarks.Audit;

/// <summary>
/// Writes N keyed audit lines (default 1,000,000) for one hour into a private Azurite, spread over several writers'
/// append blobs in the writer's exact format, then times <see cref="AuditSealer"/> sealing that hour, the seal check
/// (<see cref="AuditSealVerifier"/>) and the chain check (<see cref="AuditLogVerifier"/>), sampling the process's
/// working set during each phase. Fails when a phase grows the working set by more than the limit (default 64 MiB):
/// sealing streams, so memory must not grow with the number of lines.
/// <c>dotnet run -c Release --project bench/CloudArchive.Benchmarks -- harness audit-seal [--lines N] [--writers N] [--limit-mib N]</c>.
/// </summary>
public sealed class AuditSealHarness : IHarness
{
    private const long MiB = 1024 * 1024;
    private const int BlockBytes = 4 * 1024 * 1024 - 16 * 1024;
    private static readonly DateTimeOffset Hour = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    /// <inheritdoc />
    public string Name => "audit-seal";

    /// <inheritdoc />
    public string Description => "seal + verify 1,000,000 audit lines on Azurite; reports time and peak working set, asserts each phase grows it by < 64 MiB";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var lines = 1_000_000;
        var writers = 10;
        long limit = 64 * MiB;
        for (var i = 0; i + 1 < args.Length; i++)
        {
            switch (args[i])
            {
                case "--lines": lines = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--writers": writers = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--limit-mib": limit = long.Parse(args[++i], CultureInfo.InvariantCulture) * MiB; break;
            }
        }

        var keyDirectory = Directory.CreateTempSubdirectory("audit-seal-bench-").FullName;
        try
        {
            await using var azurite = await AzuriteProcess.StartAsync(cancellationToken).ConfigureAwait(false);
            var connection = azurite.CreateConnection();
            var logContainer = connection.Blobs.GetBlobContainerClient("audit");
            var sealContainer = connection.Blobs.GetBlobContainerClient("seals");
            await logContainer.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await sealContainer.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var log = new BlobAuditLogStore(logContainer);
            var seals = new BlobAuditSealStore(sealContainer);
            using var chainKey = new AuditChainKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(AuditChainKey.Length));
            var keySource = new FixedAuditChainKeySource(chainKey);
            using var signer = new LocalAuditSealSigner(Path.Combine(keyDirectory, LocalAuditSealSigner.FileName));

            var clock = Stopwatch.StartNew();
            var bytes = await WriteAsync(log, chainKey, lines, writers, cancellationToken).ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"audit-seal: wrote {lines:N0} keyed lines ({bytes / (double)MiB:0.0} MiB) in {writers} blobs in {clock.Elapsed.TotalSeconds:0.0} s"));

            GC.Collect();
            GC.WaitForPendingFinalizers();
            var time = new FixedClock(Hour.AddHours(2));
            using var audit = new AuditLogWriter(log, "bench-seal", time, chainKey: keySource);
            var sealer = new AuditSealer(log, seals, signer, audit, time);
            var (outcome, sealSeconds, sealPeak, sealGrowth) = await MeasureAsync(() => sealer.SealHourAsync(Hour, new AuditActor("system:audit-seal", isRequestor: false), null, cancellationToken)).ConfigureAwait(false);
            var ((findings, _), verifySeconds, verifyPeak, verifyGrowth) = await MeasureAsync(() => new AuditSealVerifier(log, seals, signer, time).VerifyAsync(Hour, Hour.AddHours(1), cancellationToken)).ConfigureAwait(false);
            var (chains, chainSeconds, chainPeak, chainGrowth) = await MeasureAsync(() => new AuditLogVerifier(log, keySource).VerifyAsync(Hour, Hour.AddHours(1), cancellationToken)).ConfigureAwait(false);

            Report("seal", outcome.Seal.Lines, sealSeconds, sealPeak, sealGrowth);
            Report("seal check", lines, verifySeconds, verifyPeak, verifyGrowth);
            Report("chain check", chains.LinesChecked, chainSeconds, chainPeak, chainGrowth);
            Console.WriteLine($"  root {outcome.Seal.Root}; seal findings {findings.Count}; chain findings {chains.Findings.Count}");

            var ok = outcome.Created && outcome.Seal.Lines == lines && findings.Count == 0 && chains.IsIntact
                && Math.Max(sealGrowth, Math.Max(verifyGrowth, chainGrowth)) <= limit;
            Console.WriteLine(ok ? "audit-seal: PASS" : $"audit-seal: FAIL (limit: working set growth {limit / MiB} MiB per phase; every line sealed and verified)");
            return ok ? 0 : 1;
        }
        finally
        {
            Directory.Delete(keyDirectory, recursive: true);
        }
    }

    private static void Report(string phase, long lines, double seconds, long peak, long growth) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {phase,-12} {lines:N0} lines in {seconds:0.00} s ({lines / seconds:N0} lines/s), peak working set {peak / (double)MiB:0.0} MiB (+{growth / (double)MiB:0.0} MiB over the phase's start)"));

    /// <summary>Runs a phase from a collected heap, reporting its start working set and its allocation total beside the peak.</summary>
    private static async Task<(T Result, double Seconds, long Peak, long Growth)> MeasureAsync<T>(Func<Task<T>> phase)
    {
        // Aggressive: returns the writing phase's memory to the OS, so the phase starts from a clean working set.
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        long start;
        using (var self = Process.GetCurrentProcess())
        {
            start = self.WorkingSet64;
        }

        var allocated = GC.GetTotalAllocatedBytes();
        using var sampler = new WorkingSetSampler();
        var clock = Stopwatch.StartNew();
        var result = await phase().ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  (working set {start / (double)MiB:0.0} MiB at the phase's start; managed heap {GC.GetTotalMemory(false) / (double)MiB:0.0} MiB at its end; {(GC.GetTotalAllocatedBytes() - allocated) / (double)MiB:0} MiB allocated in total)"));
        return (result, seconds, sampler.Peak, Math.Max(0, sampler.Peak - start));
    }

    /// <summary>Writes the lines exactly as the keyed writer would (v2, HMAC chain), appended in blocks of about 4 MiB.</summary>
    private static async Task<long> WriteAsync(BlobAuditLogStore log, AuditChainKey key, int lines, int writers, CancellationToken cancellationToken)
    {
        long total = 0;
        await Parallel.ForAsync(0, writers, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (w, ct) =>
        {
            var writerId = string.Create(CultureInfo.InvariantCulture, $"bench-{w:00}");
            var blob = AuditBlobName.For(Hour, writerId);
            await log.CreateIfNotExistsAsync(blob, ct).ConfigureAwait(false);
            var count = lines / writers + (w < lines % writers ? 1 : 0);
            var previous = key.Genesis(blob);
            long length = 0;
            using var block = new MemoryStream(BlockBytes + 16384);
            for (var n = 1; n <= count; n++)
            {
                var record = new AuditRecord(n, previous, Hour.AddTicks(n), writerId, Event(n)) { FormatVersion = AuditLineSerializer.KeyedFormatVersion };
                var line = AuditLineSerializer.Serialize(record);
                previous = key.Mac(line);
                block.Write(line);
                block.WriteByte((byte)'\n');
                if (block.Length >= BlockBytes || n == count)
                {
                    if (await log.AppendAsync(blob, block.GetBuffer().AsMemory(0, (int)block.Length), length, ct).ConfigureAwait(false) != AuditAppendOutcome.Appended)
                    {
                        throw new InvalidOperationException("unexpected append conflict");
                    }

                    length += block.Length;
                    block.SetLength(0);
                }
            }

            Interlocked.Add(ref total, length);
        }).ConfigureAwait(false);
        return total;
    }

    private static AuditEvent Event(int n) => new()
    {
        EventType = n % 10 == 0 ? AuditEventType.InstancesAccessed : AuditEventType.Import,
        Action = n % 10 == 0 ? AuditAction.Read : AuditAction.Create,
        Outcome = AuditOutcome.Success,
        Actor = new AuditActor("svc:ingest", app: "cloudarchive-functions", role: "ingest", isRequestor: false),
        Study = new OpaqueKey("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
        Instance = new OpaqueKey("abcdefghijklmnopqrstuvwx23"),
        Bytes = 500_000 + n,
        CorrelationId = string.Create(CultureInfo.InvariantCulture, $"inv-{n}"),
        Details = ["retention-rule=uk-adult-8y"],
    };

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>Samples this process's working set every 20 ms until disposed.</summary>
    private sealed class WorkingSetSampler : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private long _peak;

        public WorkingSetSampler()
        {
            _loop = Task.Run(async () =>
            {
                using var process = Process.GetCurrentProcess();
                while (!_stop.IsCancellationRequested)
                {
                    process.Refresh();
                    var now = process.WorkingSet64;
                    if (now > Interlocked.Read(ref _peak))
                    {
                        Interlocked.Exchange(ref _peak, now);
                    }

                    try
                    {
                        await Task.Delay(20, _stop.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            });
        }

        public long Peak => Interlocked.Read(ref _peak);

        public void Dispose()
        {
            _stop.Cancel();
            _loop.Wait();
            _stop.Dispose();
        }
    }
}
