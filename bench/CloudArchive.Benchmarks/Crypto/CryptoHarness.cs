using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Azure.Core.Cryptography;
using CloudArchive.Core.Crypto;

namespace CloudArchive.Benchmarks.Crypto;

/// <summary>
/// Streaming CSE v2.1 encrypt/decrypt throughput for 4 MiB, 256 MiB and 2 GiB generated inputs next to single-shot
/// <see cref="AesGcm"/> over the same bytes, plus allocation and peak working set to show memory is O(region).
/// <c>dotnet run -c Release --project bench/CloudArchive.Benchmarks -- harness crypto</c>.
/// </summary>
public sealed class CryptoHarness : IHarness
{
    private const long MiB = 1024 * 1024;
    private const double TargetRatio = 0.9;

    /// <summary>The name the decrypt runs bind their envelope to (no blob is stored; the name only enters the MAC).</summary>
    private const string BlobName = "studies/bench/bench.dcm.enc";

    // A reader's buffer of at least one region plus nonce and tag lets both streams work in place (no extra copy).
    private static readonly byte[] ReadBuffer = new byte[8 * MiB];

    /// <inheritdoc />
    public string Name => "crypto";

    /// <inheritdoc />
    public string Description => "CSE v2.1 streaming encrypt/decrypt MB/s vs single-shot AesGcm (4 MiB, 256 MiB, 2 GiB); memory O(region)";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var sizes = new List<long> { 4 * MiB, 256 * MiB, 2048 * MiB };
        int region = CseFormat.DefaultRegionLength;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--sizes-mib" && i + 1 < args.Length)
            {
                sizes = args[++i].Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture) * MiB).ToList();
            }
            else if (args[i] == "--region" && i + 1 < args.Length)
            {
                region = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
        }

        using var key = new SymmetricKeyEncryptionKey("urn:cloudarchive:study:bench", RandomNumberGenerator.GetBytes(32));
        var resolver = new SingleKeyResolver(key);
        var encryptor = new EnvelopeEncryptor(new EnvelopeEncryptionOptions { RegionLength = region });
        var decryptor = new EnvelopeDecryptor(resolver);

        // Warm up JIT and the array pool.
        await StreamEncryptAsync(encryptor, key, 8 * MiB, cancellationToken).ConfigureAwait(false);
        await StreamDecryptAsync(encryptor, decryptor, key, 8 * MiB, cancellationToken).ConfigureAwait(false);

        Console.WriteLine($"CSE v2.1 streaming vs single-shot AesGcm; region {region / (double)MiB:0.##} MiB; {Environment.ProcessorCount} logical CPUs; .NET {Environment.Version}; AES-NI {System.Runtime.Intrinsics.X86.Aes.IsSupported}");
        Console.WriteLine("Throughput is MB (10^6 bytes) per second of process CPU time, so it stays meaningful on a loaded machine.");
        Console.WriteLine("Encrypt compares like with like: both the stream and the single shot read the plaintext from the same generated source;");
        Console.WriteLine("'AesGcm encrypt alone' is the bare cipher over bytes already in memory, for reference.");
        Console.WriteLine("streaming decrypt subtracts the CPU time of producing its ciphertext on the fly (an encrypt run of the same size). Best of N runs.");
        Console.WriteLine();

        // Memory first, before any single-shot baseline array exists: stream the largest input through encrypt and
        // through encrypt -> decrypt and read the process's peak working set.
        long largest = sizes.Max();
        long allocBefore = GC.GetTotalAllocatedBytes(precise: true);
        await StreamEncryptAsync(encryptor, key, largest, cancellationToken).ConfigureAwait(false);
        await StreamDecryptAsync(encryptor, decryptor, key, largest, cancellationToken).ConfigureAwait(false);
        long memoryPhaseAllocated = GC.GetTotalAllocatedBytes(precise: true) - allocBefore;
        using (var self = Process.GetCurrentProcess())
        {
            self.Refresh();
            Console.WriteLine($"memory: {Label(largest)} streamed through encrypt and through encrypt->decrypt: process peak working set {self.PeakWorkingSet64 / (double)MiB:0.0} MiB (whole process incl. runtime), managed allocations {memoryPhaseAllocated / (double)MiB:0.0} MiB");
        }

        var rows = new List<Row>();
        long streamingAllocated = 0;
        foreach (var size in sizes)
        {
            // Process CPU time ticks at 10 ms on Linux: repeat small inputs so each measurement covers >= 256 MiB.
            // Streaming and single-shot runs alternate so both see the same machine load.
            int reps = (int)Math.Max(1, 256 * MiB / size);
            int runs = size <= 512 * MiB ? 7 : 4;
            using var baseline = new SingleShot(size, region);
            double encCpu = double.MaxValue, pipeCpu = double.MaxValue, baseEncCpu = double.MaxValue, baseDecCpu = double.MaxValue, aesOnlyCpu = double.MaxValue;
            for (int r = 0; r < runs; r++)
            {
                long before = GC.GetTotalAllocatedBytes(precise: true);
                double e = 0, p = 0;
                for (int i = 0; i < reps; i++)
                {
                    e += await StreamEncryptAsync(encryptor, key, size, cancellationToken).ConfigureAwait(false);
                }

                for (int i = 0; i < reps; i++)
                {
                    p += await StreamDecryptAsync(encryptor, decryptor, key, size, cancellationToken).ConfigureAwait(false);
                }

                streamingAllocated += GC.GetTotalAllocatedBytes(precise: true) - before;
                var (be, ao, bd) = baseline.Measure(reps);
                aesOnlyCpu = Math.Min(aesOnlyCpu, ao / reps);
                encCpu = Math.Min(encCpu, e / reps);
                pipeCpu = Math.Min(pipeCpu, p / reps);
                baseEncCpu = Math.Min(baseEncCpu, be / reps);
                baseDecCpu = Math.Min(baseDecCpu, bd / reps);
            }

            rows.Add(new Row(size, size / 1e6 / encCpu, size / 1e6 / Math.Max(pipeCpu - encCpu, 1e-6))
            {
                BaseEnc = size / 1e6 / baseEncCpu,
                AesOnlyEnc = size / 1e6 / aesOnlyCpu,
                BaseDec = size / 1e6 / baseDecCpu,
                Baseline = baseline.Kind,
            });
        }

        Console.WriteLine($"throughput runs: managed allocations by the streaming runs {streamingAllocated / (double)MiB:0.0} MiB in total");

        Console.WriteLine();
        Console.WriteLine("| input | stream encrypt MB/s | single-shot encrypt MB/s (read input + AesGcm) | ratio | AesGcm encrypt alone MB/s | stream decrypt MB/s | single-shot decrypt MB/s | ratio | single-shot is |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        bool ok = true;
        foreach (var r in rows)
        {
            double re = r.Enc / r.BaseEnc, rd = r.Dec / r.BaseDec;
            ok &= re >= TargetRatio && rd >= TargetRatio;
            Console.WriteLine($"| {Label(r.Size)} | {r.Enc:0} | {r.BaseEnc:0} | {re:0.00} | {r.AesOnlyEnc:0} | {r.Dec:0} | {r.BaseDec:0} | {rd:0.00} | {r.Baseline} |");
        }

        long memoryBound = 64 * MiB;
        bool memoryOk = streamingAllocated < memoryBound && memoryPhaseAllocated < memoryBound;
        Console.WriteLine();
        Console.WriteLine($"target ratio >= {TargetRatio}: {(ok ? "met" : "MISSED")}; streaming allocations < {memoryBound / MiB} MiB (O(region), independent of input size): {(memoryOk ? "met" : "MISSED")}");
        return ok && memoryOk ? 0 : 1;
    }

    private static TimeSpan CpuTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private static string Label(long size) => size >= 1024 * MiB ? $"{size / (1024 * MiB)} GiB" : $"{size / MiB} MiB";

    /// <summary>CPU seconds to encrypt <paramref name="size"/> generated bytes through the stream.</summary>
    private static async Task<double> StreamEncryptAsync(EnvelopeEncryptor encryptor, IKeyEncryptionKey key, long size, CancellationToken ct)
    {
        var buffer = ReadBuffer;
        var start = CpuTime();
        await using (var enc = await encryptor.EncryptAsync(new PatternStream(size), key, cancellationToken: ct).ConfigureAwait(false))
        {
            while (await enc.ReadAsync(buffer, ct).ConfigureAwait(false) > 0)
            {
            }
        }

        return (CpuTime() - start).TotalSeconds;
    }

    /// <summary>CPU seconds to encrypt and then decrypt through a pipe (the caller subtracts the encrypt share).</summary>
    private static async Task<double> StreamDecryptAsync(EnvelopeEncryptor encryptor, EnvelopeDecryptor decryptor, IKeyEncryptionKey key, long size, CancellationToken ct)
    {
        var start = CpuTime();
        var enc = await encryptor.EncryptAsync(new PatternStream(size), key, plainLength: size, cancellationToken: ct).ConfigureAwait(false);
        var metadata = enc.GetMetadata(BlobName);
        var cipher = enc;
        var buffer = ReadBuffer;
        long total = 0;
        await using (var dec = await decryptor.OpenReadAsync(cipher, metadata, BlobName, enc.Length, cancellationToken: ct).ConfigureAwait(false))
        {
            int n;
            while ((n = await dec.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                total += n;
            }
        }

        if (total != size)
        {
            throw new InvalidOperationException("decrypted length mismatch");
        }

        return (CpuTime() - start).TotalSeconds;
    }

    /// <summary>
    /// One AesGcm call over the whole input where the API allows it (spans are int-indexed, so one call stays below
    /// 2 GiB); for larger inputs, the same number of bytes as back-to-back region-sized calls over one in-memory buffer.
    /// </summary>
    private sealed class SingleShot : IDisposable
    {
        private readonly AesGcm _aes = new(RandomNumberGenerator.GetBytes(32), 16);
        private readonly byte[] _nonce = new byte[12];
        private readonly byte[] _tag = new byte[16];
        private readonly byte[] _plain;
        private readonly byte[] _cipher;
        private readonly long _calls;

        public SingleShot(long size, int region)
        {
            bool whole = size <= 512 * MiB;
            int chunk = whole ? (int)size : region;
            _calls = whole ? 1 : (size + region - 1) / region;
            _plain = new byte[chunk];
            new PatternStream(chunk).ReadExactly(_plain);
            _cipher = new byte[chunk];
            Kind = whole ? "one AesGcm call" : $"{_calls} AesGcm calls of {region / MiB} MiB (one call cannot take 2 GiB)";
        }

        public string Kind { get; }

        /// <summary>
        /// CPU seconds for <paramref name="reps"/> encryptions (with and without first reading the plaintext from the
        /// same generated source the streaming run reads) and decryptions of the whole input.
        /// </summary>
        public (double ReadAndEncrypt, double Encrypt, double Decrypt) Measure(int reps)
        {
            var start = CpuTime();
            for (long c = 0; c < _calls * reps; c++)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(_nonce, c % _calls);
                _aes.Encrypt(_nonce, _plain, _cipher, _tag);
            }

            double enc = (CpuTime() - start).TotalSeconds;
            start = CpuTime();
            for (int r = 0; r < reps; r++)
            {
                using var source = new PatternStream(_plain.LongLength * _calls);
                for (long c = 0; c < _calls; c++)
                {
                    source.ReadExactly(_plain);
                    System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(_nonce, c);
                    _aes.Encrypt(_nonce, _plain, _cipher, _tag);
                }
            }

            double readEnc = (CpuTime() - start).TotalSeconds;
            start = CpuTime();
            for (long c = 0; c < _calls * reps; c++)
            {
                // The buffer holds the last call's ciphertext; decrypting it each time verifies a real tag.
                System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(_nonce, _calls - 1);
                _aes.Decrypt(_nonce, _cipher, _tag, _plain);
            }

            return (readEnc, enc, (CpuTime() - start).TotalSeconds);
        }

        public void Dispose() => _aes.Dispose();
    }

    private sealed class Row(long size, double enc, double dec)
    {
        public long Size { get; } = size;

        public double Enc { get; } = enc;

        public double Dec { get; } = dec;

        public double BaseEnc { get; set; }

        public double BaseDec { get; set; }

        public double AesOnlyEnc { get; set; }

        public string Baseline { get; set; } = string.Empty;
    }

    private sealed class SingleKeyResolver(IKeyEncryptionKey key) : IKeyEncryptionKeyResolver
    {
        public IKeyEncryptionKey Resolve(string keyId, CancellationToken cancellationToken = default) => key;

        public Task<IKeyEncryptionKey> ResolveAsync(string keyId, CancellationToken cancellationToken = default) => Task.FromResult(key);
    }
}
