using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using BenchmarkDotNet.Attributes;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Testing;
using CloudArchive.Testing.Azurite;

namespace CloudArchive.Benchmarks.Storage;

/// <summary>
/// Upload and download throughput of the archive's storage path on a private Azurite for 1 MiB, 64 MiB and 1 GiB
/// generated blobs, next to a bare SharedKey-signed <see cref="HttpClient"/> PUT/GET of the same bytes. Upload is our
/// <see cref="BlockUpload"/> over the SDK (one Put Blob up to 16 MiB, staged 8 MiB blocks above), with the
/// transactional MD5 the archive sends and without it; download is the SDK's <c>DownloadStreamingAsync</c>.
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
    private StorageOptions _options = new();
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
        _options = connection.Options;
        _container = connection.Blobs.GetBlobContainerClient("bench");
        _container.CreateIfNotExists();
        BlockUpload.UploadAsync(_container.GetBlockBlobClient("download"), new GeneratedStream(_size, 7), new BlockUploadOptions(), _options, CancellationToken.None).GetAwaiter().GetResult();
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
    public Task HttpClientPut() => _bare!.PutAsync(_container!.GetBlobClient("bare-upload").Uri, new GeneratedStream(_size, 3), _size, CancellationToken.None);

    /// <summary><see cref="BlockUpload"/> of the same non-seekable generated stream, with a transactional MD5 per request as the archive writes.</summary>
    [Benchmark]
    [BenchmarkCategory(Upload)]
    public Task BlockUploadWithMd5() =>
        BlockUpload.UploadAsync(_container!.GetBlockBlobClient("client-upload"), new GeneratedStream(_size, 3), new BlockUploadOptions(), _options, CancellationToken.None);

    /// <summary><see cref="BlockUpload"/> without the MD5: what the SDK path itself costs next to the bare PUT.</summary>
    [Benchmark]
    [BenchmarkCategory(Upload)]
    public Task BlockUploadWithoutMd5() =>
        BlockUpload.UploadAsync(_container!.GetBlockBlobClient("client-upload"), new GeneratedStream(_size, 3), new BlockUploadOptions { TransactionalMd5 = false }, _options, CancellationToken.None);

    /// <summary>Baseline: one bare HttpClient Get Blob, drained.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Download)]
    public async Task<long> HttpClientGet()
    {
        var read = await _bare!.GetAsync(_container!.GetBlobClient("download").Uri, _drain, CancellationToken.None).ConfigureAwait(false);
        return read == _size ? read : throw new InvalidOperationException("short read");
    }

    /// <summary>The SDK's <c>DownloadStreamingAsync</c> of the same blob, drained.</summary>
    [Benchmark]
    [BenchmarkCategory(Download)]
    public async Task<long> SdkDownloadStreaming()
    {
        using var download = (await _container!.GetBlobClient("download").DownloadStreamingAsync().ConfigureAwait(false)).Value;
        long total = 0;
        int read;
        while ((read = await download.Content.ReadAsync(_drain).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        return total == _size ? total : throw new InvalidOperationException("short read");
    }
}
