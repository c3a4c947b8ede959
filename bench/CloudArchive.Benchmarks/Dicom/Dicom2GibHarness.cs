using System.Diagnostics;
using System.Globalization;
using CloudArchive.Dicom;
using CloudArchive.Testing;

namespace CloudArchive.Benchmarks.Dicom;

/// <summary>
/// Generates a 2 GiB multi-frame instance on disk (streamed), then reads it with <see cref="DicomFile.OpenAsync"/> and
/// rewrites it (explicit VR LE, and optionally big endian with byte swapping) while measuring time, MB/s and the
/// process peak working set, which must stay under 128 MiB. Verifies the output pixel bytes, deletes its files.
/// <c>dotnet run -c Release --project bench/CloudArchive.Benchmarks -- harness dicom-2gib [--mib N] [--big-endian] [--dir PATH]</c>.
/// </summary>
public sealed class Dicom2GibHarness : IHarness
{
    private const long MiB = 1024 * 1024;
    private const long PeakBound = 128 * MiB;

    /// <inheritdoc />
    public string Name => "dicom-2gib";

    /// <inheritdoc />
    public string Description => "read + rewrite a generated 2 GiB multi-frame instance; peak working set < 128 MiB";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        long sizeMiB = 2048;
        var bigEndian = false;
        string? dir = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--mib" && i + 1 < args.Length)
            {
                sizeMiB = long.Parse(args[++i], CultureInfo.InvariantCulture);
            }
            else if (args[i] == "--big-endian")
            {
                bigEndian = true;
            }
            else if (args[i] == "--dir" && i + 1 < args.Length)
            {
                dir = args[++i];
            }
        }

        var work = dir is null ? Directory.CreateTempSubdirectory("cloudarchive-dicom-2gib-") : Directory.CreateDirectory(Path.Combine(dir, "cloudarchive-dicom-2gib-" + Guid.NewGuid().ToString("N")));
        var input = Path.Combine(work.FullName, "in.dcm");
        var output = Path.Combine(work.FullName, "out.dcm");
        try
        {
            const int rows = 512, columns = 512;
            var frameBytes = (long)rows * columns * 2;
            var frames = sizeMiB * MiB / frameBytes;
            var pixelLength = frames * frameBytes;

            var sw = Stopwatch.StartNew();
            await GenerateAsync(input, rows, columns, frames, pixelLength, cancellationToken).ConfigureAwait(false);
            var fileLength = new FileInfo(input).Length;
            Console.WriteLine($"generated {fileLength / (double)MiB:F0} MiB ({frames} frames of {rows}x{columns} 16-bit) in {sw.Elapsed.TotalSeconds:F1} s");

            // Only the read + rewrite is timed; the peak working set covers the whole process lifetime so far.
            var target = bigEndian ? TransferSyntax.ExplicitVRBigEndian : TransferSyntax.ExplicitVRLittleEndian;
            sw.Restart();
            var file = await DicomFile.OpenAsync(input, cancellationToken: cancellationToken).ConfigureAwait(false);
            await using (file.ConfigureAwait(false))
            {
                var parsed = sw.Elapsed;
                await file.SaveAsync(output, new DicomWriterOptions { TransferSyntax = target }, cancellationToken).ConfigureAwait(false);
                var total = sw.Elapsed;
                var mbps = fileLength / 1e6 / total.TotalSeconds;
                var process = Process.GetCurrentProcess();
                process.Refresh();
                var peak = process.PeakWorkingSet64;
                Console.WriteLine($"read (parse, bulk by reference): {parsed.TotalMilliseconds:F1} ms");
                Console.WriteLine($"read + rewrite ({target.Name}): {total.TotalSeconds:F2} s, {mbps:F0} MB/s");
                Console.WriteLine($"peak working set: {peak / (double)MiB:F1} MiB (bound {PeakBound / MiB} MiB); GC heap now {GC.GetTotalMemory(false) / (double)MiB:F1} MiB");

                var verified = await VerifyAsync(output, pixelLength, bigEndian, cancellationToken).ConfigureAwait(false);
                Console.WriteLine(verified ? "output pixel data verified" : "OUTPUT PIXEL DATA MISMATCH");
                if (!verified)
                {
                    return 1;
                }

                if (peak >= PeakBound)
                {
                    Console.WriteLine("FAILED: peak working set above the bound");
                    return 1;
                }
            }

            return 0;
        }
        finally
        {
            work.Delete(true);
        }
    }

    private static async Task GenerateAsync(string path, int rows, int columns, long frames, long pixelLength, CancellationToken cancellationToken)
    {
        var ds = GeneratedMultiFrame.Create(rows, columns, frames, pixelLength);
        ds.SetString(DicomTags.SOPInstanceUID, "2.25." + BigIntegerFromGuid());
        ds.SetString(new DicomTag(0x0010, 0x0010), "BENCH^TWO GIB");
        using var file = new DicomFile(ds, TransferSyntax.ExplicitVRLittleEndian);
        await file.SaveAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> VerifyAsync(string path, long pixelLength, bool bigEndian, CancellationToken cancellationToken)
    {
        var file = await DicomFile.OpenAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (file.ConfigureAwait(false))
        {
            if (file.Dataset.Get(DicomTags.PixelData) is not DicomValueElement { IsBulk: true } pixel || pixel.Length != pixelLength)
            {
                return false;
            }

            // The reader swaps big endian back, so the little endian view must equal the generated bytes either way.
            var stream = pixel.OpenRead();
            await using (stream.ConfigureAwait(false))
            {
                var buffer = new byte[4 * MiB];
                long offset = 0;
                int n;
                while ((n = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    for (var i = 0; i < n; i += 4099)
                    {
                        if (buffer[i] != GeneratedPixelStream.ByteAt(offset + i))
                        {
                            return false;
                        }
                    }

                    offset += n;
                }

                return offset == pixelLength && (bigEndian ? file.TransferSyntax.IsBigEndian : !file.TransferSyntax.IsBigEndian);
            }
        }
    }

    private static string BigIntegerFromGuid() =>
        new System.Numerics.BigInteger(Guid.NewGuid().ToByteArray(), isUnsigned: true, isBigEndian: true).ToString(CultureInfo.InvariantCulture);
}
