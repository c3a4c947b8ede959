using BenchmarkDotNet.Attributes;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Testing;
using CloudArchive.Testing.Azurite;

namespace CloudArchive.Benchmarks.Storage;

/// <summary>
/// Upload and download throughput of <see cref="BlobClient"/> on a private Azurite for 1 MiB, 64 MiB and 1 GiB
/// generated blobs, next to a bare SharedKey-signed <see cref="HttpClient"/> PUT/GET of the same bytes.
/// <c>dotnet run -c Release --project bench/CloudArchive.Benchmarks -- --filter *StorageThroughput*</c>.
/// </summary>
[Config(typeof(StorageBenchmarkConfig))]
public class StorageThroughputBenchmarks
{
    private const string Upload = "Upload";
    private const string Download = "Download";

    private readonly byte[] _drain = new byte[1024 * 1024];
    private AzuriteProcess? _azurite;
    private BareSharedKeyHttp? _bare;
    private BlobContainerClient? _container;
    private long _size;

    /// <summary>Blob size in MiB.</summary>
    [Params(1, 64, 1024)]
    public int SizeMiB { get; set; }

    /// <summary>Starts Azurite and stores the blob the download cases read.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _size = SizeMiB * 1024L * 1024L;
        _azurite = AzuriteProcess.StartAsync().GetAwaiter().GetResult();
        var connection = _azurite.CreateConnection(new StorageOptions());
        _container = connection.Blobs.GetContainer("bench");
        _container.CreateIfNotExistsAsync().GetAwaiter().GetResult();
        _container.GetBlob("download").UploadAsync(new GeneratedStream(_size, 7)).GetAwaiter().GetResult();
        _bare = new BareSharedKeyHttp(_azurite.AccountName, _azurite.AccountKey);
    }

    /// <summary>Stops Azurite.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _bare?.Dispose();
        _azurite?.Dispose();
    }

    /// <summary>Baseline: one bare HttpClient Put Blob of the generated stream.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Upload)]
    public Task HttpClientPut() => _bare!.PutAsync(_container!.GetBlob("bare-upload").Uri, new GeneratedStream(_size, 3), _size, CancellationToken.None);

    /// <summary><see cref="BlobClient.UploadAsync"/> of the same non-seekable generated stream (staged blocks above 8 MiB).</summary>
    [Benchmark]
    [BenchmarkCategory(Upload)]
    public Task ClientUpload() => _container!.GetBlob("client-upload").UploadAsync(new GeneratedStream(_size, 3));

    /// <summary>Baseline: one bare HttpClient Get Blob, drained.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Download)]
    public async Task<long> HttpClientGet()
    {
        var read = await _bare!.GetAsync(_container!.GetBlob("download").Uri, _drain, CancellationToken.None).ConfigureAwait(false);
        return read == _size ? read : throw new InvalidOperationException("short read");
    }

    /// <summary><see cref="BlobClient.DownloadAsync"/> of the same blob, drained.</summary>
    [Benchmark]
    [BenchmarkCategory(Download)]
    public async Task<long> ClientDownload()
    {
        await using var download = await _container!.GetBlob("download").DownloadAsync().ConfigureAwait(false);
        long total = 0;
        int read;
        while ((read = await download.Content.ReadAsync(_drain).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        return total == _size ? total : throw new InvalidOperationException("short read");
    }
}
