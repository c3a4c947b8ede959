using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using CloudArchive.Dicom.Tests.Support;
using Xunit;

namespace CloudArchive.Dicom.Tests.Robustness;

/// <summary>
/// Seeded mutation fuzzing over every sample: byte flips, length-field corruption, truncation, insertion, deletion
/// and duplication. Each mutant must be read as a dataset (which then round-trips through the writer) or rejected
/// with <see cref="DicomFormatException"/>; never another exception, a hang or an allocation out of proportion to
/// its size. Budget: CLOUDARCHIVE_FUZZ_SECONDS (default 20); seed: CLOUDARCHIVE_FUZZ_SEED.
/// </summary>
public sealed class MutationFuzzTests
{
    private static readonly uint[] InterestingLengths =
    {
        0xFFFFFFFF, 0xFFFFFFF0, 0xFFFFFFFE, 0x7FFFFFFF, 0x80000000, 0x00010000, 0x0000FFFF, 0x0000FFFE, 0, 1, 2, 3, 7, 8, 0x101, 0x4000,
    };

    private static readonly TimeSpan PerMutantTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Mutants_of_every_sample_yield_a_dataset_or_a_format_error_quickly_and_within_bounded_memory()
    {
        var seconds = double.Parse(Environment.GetEnvironmentVariable("CLOUDARCHIVE_FUZZ_SECONDS") ?? "20", CultureInfo.InvariantCulture);
        var seed = int.Parse(Environment.GetEnvironmentVariable("CLOUDARCHIVE_FUZZ_SEED") ?? "20261122", CultureInfo.InvariantCulture);
        var corpus = Samples.AllNames().Select(n => (Name: n, Bytes: File.ReadAllBytes(Samples.PathOf(n)))).ToArray();
        var master = new Random(seed);
        var failures = new List<string>();
        var stopwatch = Stopwatch.StartNew();
        int mutants = 0, accepted = 0, rejected = 0;
        long maxAllocation = 0;

        var replay = Environment.GetEnvironmentVariable("CLOUDARCHIVE_FUZZ_REPLAY");
        while (stopwatch.Elapsed.TotalSeconds < seconds && failures.Count < 10)
        {
            // CLOUDARCHIVE_FUZZ_REPLAY=<mutant seed> re-runs one reported mutant.
            var mutantSeed = replay is null ? master.Next() : int.Parse(replay, CultureInfo.InvariantCulture);
            var rng = new Random(mutantSeed);
            var (name, original) = corpus[rng.Next(corpus.Length)];
            var mutant = Mutate(original, rng);
            var seekable = rng.Next(4) != 0;
            var options = new DicomReaderOptions { BulkDataThreshold = rng.Next(3) switch { 0 => 0, 1 => 256, _ => 64 * 1024 } };
            mutants++;

            var work = Task.Factory.StartNew(() => Run(mutant, seekable, options), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            (bool Accepted, long Allocated, string? Error) result;
            try
            {
                result = await work.WaitAsync(PerMutantTimeout, TestCancellation.Token);
            }
            catch (TimeoutException)
            {
                failures.Add($"{name} mutant seed {mutantSeed}: no result within {PerMutantTimeout.TotalSeconds} s (hang)");
                break;
            }

            var (outcome, allocated, error) = result;
            maxAllocation = Math.Max(maxAllocation, allocated);
            var bound = (64L << 20) + (16L * mutant.Length);
            if (error is not null)
            {
                failures.Add($"{name} mutant seed {mutantSeed} (seekable={seekable}, threshold={options.BulkDataThreshold}): {error}");
            }
            else if (allocated > bound)
            {
                failures.Add($"{name} mutant seed {mutantSeed}: allocated {allocated} bytes for a {mutant.Length}-byte input");
            }
            else if (outcome)
            {
                accepted++;
            }
            else
            {
                rejected++;
            }

            if (replay is not null)
            {
                break;
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{mutants} mutants in {stopwatch.Elapsed.TotalSeconds:F1} s: {accepted} read, {rejected} rejected with DicomFormatException; max allocation {maxAllocation} bytes; seed {seed}");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.True(replay is not null || mutants >= Math.Min(1000, 50 * seconds), $"only {mutants} mutants ran in {seconds} s");
    }

    /// <summary>Reads a mutant, and when it is accepted writes it back and reads that again.</summary>
    private static (bool Accepted, long Allocated, string? Error) Run(byte[] mutant, bool seekable, DicomReaderOptions options)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        DicomFile file;
        try
        {
            Stream s = new MemoryStream(mutant, false);
            if (!seekable)
            {
                s = new NonSeekableStream(s, 4093);
            }

            file = DicomFile.ReadAsync(s, options).GetAwaiter().GetResult();
        }
        catch (DicomFormatException)
        {
            return (false, GC.GetAllocatedBytesForCurrentThread() - before, null);
        }
        catch (Exception ex)
        {
            return (false, 0, $"reader threw {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}");
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        using (file)
        {
            try
            {
                using var ms = new MemoryStream();
                file.WriteAsync(ms).GetAwaiter().GetResult();
                using var back = DicomFile.ReadAsync(new MemoryStream(ms.ToArray(), false)).GetAwaiter().GetResult();
                var a = DatasetDump.Format(file.Dataset, includeVR: false, ignoreGroupLengths: true);
                var b = DatasetDump.Format(back.Dataset, includeVR: false, ignoreGroupLengths: true);
                if (a != b)
                {
                    var diff = a.Split('\n').Except(b.Split('\n')).Take(3).Concat(new[] { "--" }).Concat(b.Split('\n').Except(a.Split('\n')).Take(3));
                    return (true, allocated, "the accepted dataset changed when written and read back: " + string.Join(" | ", diff));
                }
            }
            catch (InvalidOperationException ex) when (ex.Message.Contains("pixel data", StringComparison.Ordinal))
            {
                // The mutant's pixel data encoding contradicts its transfer syntax (e.g. a corrupted TS UID): the
                // reader keeps what it found, the writer refuses to mislabel it. Both are the intended behaviour.
            }
            catch (Exception ex)
            {
                return (true, allocated, $"writing the accepted dataset threw {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}");
            }
        }

        return (true, allocated, null);
    }

    private static byte[] Mutate(byte[] input, Random rng)
    {
        var data = new List<byte>(input);
        var count = 1 + rng.Next(4);
        for (var m = 0; m < count && data.Count > 0; m++)
        {
            // Half of the mutations hit the first 4 KiB, where the meta group and most headers and lengths are.
            var pos = rng.Next(2) == 0 ? rng.Next(Math.Min(data.Count, 4096)) : rng.Next(data.Count);
            switch (rng.Next(7))
            {
                case 0:
                    data[pos] = (byte)rng.Next(256);
                    break;
                case 1:
                    data[pos] ^= (byte)(1 << rng.Next(8));
                    break;
                case 2:
                    var v = InterestingLengths[rng.Next(InterestingLengths.Length)];
                    var b = new byte[4];
                    BinaryPrimitives.WriteUInt32LittleEndian(b, rng.Next(4) == 0 ? (uint)rng.Next() : v);
                    for (var i = 0; i < 4 && pos + i < data.Count; i++)
                    {
                        data[pos + i] = b[i];
                    }

                    break;
                case 3:
                    data.RemoveRange(pos, data.Count - pos);
                    break;
                case 4:
                    var insert = new byte[1 + rng.Next(16)];
                    rng.NextBytes(insert);
                    data.InsertRange(pos, insert);
                    break;
                case 5:
                    data.RemoveRange(pos, Math.Min(data.Count - pos, 1 + rng.Next(64)));
                    break;
                default:
                    var len = Math.Min(data.Count - pos, 1 + rng.Next(256));
                    var chunk = data.GetRange(pos, len);
                    data.InsertRange(Math.Min(data.Count, pos + len + rng.Next(64)), chunk);
                    break;
            }
        }

        return data.ToArray();
    }
}
