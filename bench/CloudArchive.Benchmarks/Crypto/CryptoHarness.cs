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
        Console.WriteLine("Throughput is MB (10^6 bytes) per second of process CPU time, so it stays meaningful on a loaded machine;");
        Console.WriteLine("streaming decrypt subtracts the CPU time of producing its ciphertext on the fly (an encrypt run of the same size). Best of N runs.");
        Console.WriteLine();

        var rows = new List<Row>();
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        foreach (var size in sizes)
        {
            // Process CPU time ticks at 10 ms on Linux: repeat small inputs so each measurement covers >= 256 MiB.
            int reps = (int)Math.Max(1, 256 * MiB / size);
            int runs = size <= 512 * MiB ? 3 : 2;
            double encCpu = double.MaxValue, pipeCpu = double.MaxValue;
            for (int r = 0; r < runs; r++)
            {
                double e = 0, p = 0;
                for (int i = 0; i < reps; i++)
                {
                    e += await StreamEncryptAsync(encryptor, key, size, cancellationToken).ConfigureAwait(false);
                }

                for (int i = 0; i < reps; i++)
                {
                    p += await StreamDecryptAsync(encryptor, decryptor, key, size, cancellationToken).ConfigureAwait(false);
                }

                encCpu = Math.Min(encCpu, e / reps);
                pipeCpu = Math.Min(pipeCpu, p / reps);
            }

            rows.Add(new Row(size, size / 1e6 / encCpu, size / 1e6 / Math.Max(pipeCpu - encCpu, 1e-6)));
        }

        long streamingAllocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        using (var self = Process.GetCurrentProcess())
        {
            self.Refresh();
            Console.WriteLine($"streaming phase: managed allocations {streamingAllocated / (double)MiB:0.0} MiB over {sizes.Sum() * 2 / (double)MiB:0} MiB processed; peak working set {self.PeakWorkingSet64 / (double)MiB:0.0} MiB");
        }

        foreach (var row in rows)
        {
            (row.BaseEnc, row.BaseDec, row.Baseline) = SingleShot(row.Size, region);
        }

        Console.WriteLine();
        Console.WriteLine("| input | stream encrypt MB/s | single-shot encrypt MB/s | ratio | stream decrypt MB/s | single-shot decrypt MB/s | ratio | baseline |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        bool ok = true;
        foreach (var r in rows)
        {
            double re = r.Enc / r.BaseEnc, rd = r.Dec / r.BaseDec;
            ok &= re >= TargetRatio && rd >= TargetRatio;
            Console.WriteLine($"| {Label(r.Size)} | {r.Enc:0} | {r.BaseEnc:0} | {re:0.00} | {r.Dec:0} | {r.BaseDec:0} | {rd:0.00} | {r.Baseline} |");
        }

        long memoryBound = 64 * MiB;
        bool memoryOk = streamingAllocated < memoryBound;
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
        var metadata = enc.GetMetadata();
        var cipher = enc;
        var buffer = ReadBuffer;
        long total = 0;
        await using (var dec = await decryptor.OpenReadAsync(cipher, metadata, enc.Length, cancellationToken: ct).ConfigureAwait(false))
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
    /// One AesGcm call over the whole input where the API allows it (int-indexed spans cap a call below 2 GiB); for
    /// larger inputs, the same bytes as back-to-back region-sized calls over one in-memory buffer (no streaming).
    /// </summary>
    private static (double Enc, double Dec, string Kind) SingleShot(long size, int region)
    {
        using var aes = new AesGcm(RandomNumberGenerator.GetBytes(32), 16);
        var nonce = new byte[12];
        var tag = new byte[16];
        bool whole = size <= 512 * MiB;
        int chunk = whole ? (int)size : region;
        long calls = whole ? 1 : (size + region - 1) / region;
        int reps = (int)Math.Max(1, 256 * MiB / size);
        var plain = new byte[chunk];
        new PatternStream(chunk).ReadExactly(plain);
        var cipher = new byte[chunk];
        double bestEnc = 0, bestDec = 0;
        for (int r = 0; r < 3; r++)
        {
            var start = CpuTime();
            for (long c = 0; c < calls * reps; c++)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(nonce, c % calls);
                aes.Encrypt(nonce, plain, cipher, tag);
            }

            bestEnc = Math.Max(bestEnc, size * (double)reps / 1e6 / (CpuTime() - start).TotalSeconds);
            start = CpuTime();
            for (long c = 0; c < calls * reps; c++)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(nonce, calls - 1);
                aes.Decrypt(nonce, cipher, tag, plain);
            }

            bestDec = Math.Max(bestDec, size * (double)reps / 1e6 / (CpuTime() - start).TotalSeconds);
        }

        return (bestEnc, bestDec, whole ? "one call" : $"{calls} x {region / MiB} MiB calls (one call cannot exceed 2 GiB)");
    }

    private sealed class Row(long size, double enc, double dec)
    {
        public long Size { get; } = size;

        public double Enc { get; } = enc;

        public double Dec { get; } = dec;

        public double BaseEnc { get; set; }

        public double BaseDec { get; set; }

        public string Baseline { get; set; } = string.Empty;
    }

    private sealed class SingleKeyResolver(IKeyEncryptionKey key) : IKeyEncryptionKeyResolver
    {
        public IKeyEncryptionKey Resolve(string keyId, CancellationToken cancellationToken = default) => key;

        public Task<IKeyEncryptionKey> ResolveAsync(string keyId, CancellationToken cancellationToken = default) => Task.FromResult(key);
    }
}
