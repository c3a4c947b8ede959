using CloudArchive.Benchmarks.Ingest;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Azure.Storage.Blobs.Specialized;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Testing;
using CloudArchive.Testing.Azurite;

namespace CloudArchive.Benchmarks.Storage;

/// <summary>
/// Uploads a generated 1 GiB stream through <see cref="BlockUpload"/> (staged blocks, transactional MD5, as the archive
/// writes) to a private Azurite, downloads it with the SDK's <c>DownloadStreamingAsync</c>, checks the SHA-256 streaming, and asserts the process's peak working set stays under 256 MiB.
/// <c>dotnet run -c Release --project bench/CloudArchive.Benchmarks -- harness storage-memory [--size-mib N] [--limit-mib N]</c>.
/// </summary>
public sealed class StorageMemoryHarness : IHarness
{
    private const long MiB = 1024 * 1024;

    /// <inheritdoc />
    public string Name => "storage-memory";

    /// <inheritdoc />
    public string Description => "1 GiB upload (BlockUpload) + download (SDK) on Azurite; asserts peak working set < 256 MiB";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        long size = 1024 * MiB;
        long limit = 256 * MiB;
        for (var i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == "--size-mib")
            {
                size = long.Parse(args[++i], CultureInfo.InvariantCulture) * MiB;
            }
            else if (args[i] == "--limit-mib")
            {
                limit = long.Parse(args[++i], CultureInfo.InvariantCulture) * MiB;
            }
        }

        using var self = Process.GetCurrentProcess();
        await using var azurite = await AzuriteProcess.StartAsync(cancellationToken).ConfigureAwait(false);
        var options = new StorageOptions();
        var connection = azurite.CreateConnection(options);
        var container = connection.Blobs.GetBlobContainerClient("memory");
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var blob = container.GetBlockBlobClient("one-gib.bin");

        using var sampler = new WorkingSetSampler();
        self.Refresh();
        var startWorkingSet = self.WorkingSet64;

        var clock = Stopwatch.StartNew();
        await BlockUpload.UploadAsync(blob, new GeneratedStream(size, 42), new BlockUploadOptions(), connection.Options, cancellationToken).ConfigureAwait(false);
        var uploadSeconds = clock.Elapsed.TotalSeconds;

        clock.Restart();
        byte[] downloadedHash;
        using (var download = (await blob.DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[MiB];
            int read;
            while ((read = await download.Content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }

            downloadedHash = hash.GetHashAndReset();
        }

        var downloadSeconds = clock.Elapsed.TotalSeconds;
        var expected = GeneratedStream.ComputeSha256(size, 42);
        self.Refresh();
        var peak = Math.Max(self.PeakWorkingSet64, sampler.Peak);

        Console.WriteLine($"storage-memory: {size / MiB} MiB, block {options.BlockSizeBytes / MiB} MiB x {options.MaxUploadConcurrency} in flight");
        Console.WriteLine($"  upload   {uploadSeconds,7:0.00} s  {size / 1e6 / uploadSeconds,8:0.0} MB/s");
        Console.WriteLine($"  download {downloadSeconds,7:0.00} s  {size / 1e6 / downloadSeconds,8:0.0} MB/s");
        Console.WriteLine($"  working set at start {startWorkingSet / (double)MiB:0.0} MiB; peak {peak / (double)MiB:0.0} MiB (limit {limit / MiB} MiB; sampled every 10 ms and OS high-water mark)");
        Console.WriteLine($"  managed heap now {GC.GetTotalMemory(false) / (double)MiB:0.0} MiB; GC allocated in total {GC.GetTotalAllocatedBytes() / (double)MiB:0.0} MiB");
        var hashOk = expected.AsSpan().SequenceEqual(downloadedHash);
        Console.WriteLine($"  content {(hashOk ? "byte-identical (SHA-256 match)" : "DIFFERS (SHA-256 mismatch)")}");
        var ok = hashOk && peak < limit;
        Console.WriteLine(ok ? "PASS" : "FAIL");
        return ok ? 0 : 1;
    }
}
