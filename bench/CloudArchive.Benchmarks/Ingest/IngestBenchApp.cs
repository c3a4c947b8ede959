using System.Collections.Concurrent;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using CloudArchive.Azure.Composition;
using CloudArchive.Azure.Ingest;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Core.Archive;
using CloudArchive.Core.Ingest;
using CloudArchive.Testing;
using CloudArchive.Testing.Azurite;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CloudArchive.Benchmarks.Ingest;

/// <summary>
/// The ingest service composed by the archive's one composition root (<see cref="CloudArchiveServiceCollectionExtensions.AddCloudArchive"/>)
/// from configuration, exactly as the function app composes it (blob-backed incoming/archive/quarantine stores, keyring on blobs, local KEK in a temp
/// directory, audit log on append blobs, the shipped policies in <c>data/policies</c>), against a private Azurite.
/// The web app is built but never started: the benchmark calls <see cref="IngestService.IngestAsync"/> directly. The
/// research services come from the same root, for the export harness.
/// </summary>
internal sealed class IngestBenchApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _keyDirectory;

    private IngestBenchApp(WebApplication app, string keyDirectory)
    {
        _app = app;
        _keyDirectory = keyDirectory;
        Containers = app.Services.GetRequiredService<CloudArchiveSettings>().Containers;
        Service = app.Services.GetRequiredService<IngestService>();
        Connection = app.Services.GetRequiredService<StorageConnection>();
    }

    /// <summary>The composed services (the research ones too when asked for).</summary>
    public IServiceProvider Services => _app.Services;

    public IngestService Service { get; }

    /// <summary>The connection the service uses; the plain-copy baseline uses the same client.</summary>
    public StorageConnection Connection { get; }

    public ArchiveContainerNames Containers { get; }

    public BlobContainerClient Incoming => Connection.Blobs.GetBlobContainerClient(Containers.Incoming);

    public BlobContainerClient Archive => Connection.Blobs.GetBlobContainerClient(Containers.Archive);

    /// <param name="azurite">The Azurite the app's storage runs on.</param>
    /// <param name="tempDirectory">Where the services spool (minimized rewrites, export staging).</param>
    /// <param name="counter">When given, every storage request of the service and of the baseline goes through it.</param>
    /// <param name="readChunkBytes">When given, overrides <see cref="StorageOptions.ReadChunkBytes"/> (an experiment knob).</param>
    /// <param name="withoutMd5">Experiment knob: archive writes without transactional MD5 (the function app always sends it).</param>
    /// <param name="cancellationToken">Cancels the set-up.</param>
    /// <param name="exportParallelism">When given, the research services are composed as well, with this <c>CloudArchive:Export:MaxParallelism</c>.</param>
    public static async Task<IngestBenchApp> CreateAsync(AzuriteProcess azurite, string tempDirectory, RequestCounter? counter, int? readChunkBytes, bool withoutMd5, CancellationToken cancellationToken, int? exportParallelism = null)
    {
        var root = RepositoryPaths.FindRoot();
        var keyDirectory = Path.Combine(tempDirectory, "kek");
        Directory.CreateDirectory(keyDirectory);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CloudArchive:Storage:ConnectionString"] = azurite.ConnectionString,
            ["CloudArchive:Storage:CreateContainers"] = "false",
            ["CloudArchive:Keys:Provider"] = "Local",
            ["CloudArchive:Keys:LocalKeyFile"] = keyDirectory,
            ["CloudArchive:Policies:RetentionFiles"] = Path.Combine(root, "data/policies/retention/default.json") + ";" + Path.Combine(root, "data/policies/retention/uk-nhs-england.json"),
            ["CloudArchive:Policies:MinimizationFile"] = Path.Combine(root, "data/policies/minimization/default.json"),
            ["CloudArchive:Retention:Jurisdiction"] = "GB-ENG",
            ["CloudArchive:Ingest:TempDirectory"] = tempDirectory,
            ["CloudArchive:Export:TempDirectory"] = tempDirectory,
            ["CloudArchive:Export:MaxParallelism"] = exportParallelism?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        if (counter is not null || readChunkBytes is not null)
        {
            // Registered first, so the composition's TryAdd keeps it: the same connection, plus the counting policy.
            var options = new StorageOptions();
            if (counter is not null)
            {
                // Per retry: every try is a request on the wire and is counted.
                options.ConfigureClient = client => client.AddPolicy(counter, global::Azure.Core.HttpPipelinePosition.PerRetry);
            }

            if (readChunkBytes is { } chunk)
            {
                options.ReadChunkBytes = chunk;
            }

            builder.Services.AddSingleton(StorageConnection.FromConnectionString(azurite.ConnectionString, options));
        }

        if (withoutMd5)
        {
            // Registered first, so the composition's TryAdd keeps it; everything else is composed as in the app.
            builder.Services.AddSingleton<IArchiveStore>(sp => new BlobArchiveStore(
                sp.GetRequiredService<StorageConnection>().Blobs.GetBlobContainerClient(sp.GetRequiredService<CloudArchiveSettings>().Containers.Archive),
                sp.GetRequiredService<StorageConnection>().Options,
                transactionalMd5: false));
        }

        builder.Services.AddCloudArchive(builder.Configuration, CloudArchiveHost.Functions(root) with { Name = "bench" });
        var app = builder.Build();
        var bench = new IngestBenchApp(app, keyDirectory);

        // The app's hosted initializer would create them; the app is never started.
        foreach (var name in bench.Containers.All)
        {
            await bench.Connection.Blobs.GetBlobContainerClient(name).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return bench;
    }

    /// <summary>Uploads <paramref name="files"/> to <c>incoming</c> as <paramref name="names"/>, <paramref name="parallelism"/> at a time.</summary>
    public Task UploadAsync(IReadOnlyList<string> names, IReadOnlyList<byte[]> files, int parallelism, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(
            Enumerable.Range(0, files.Count),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (i, ct) => await PutAsync(Incoming, names[i], new MemoryStream(files[i], writable: false), ct).ConfigureAwait(false));

    /// <summary>
    /// A plain write, as a client's upload or the baselines' copy: the connection's block size and concurrency, without
    /// the transactional MD5 and the create-only condition the archive adds.
    /// </summary>
    public Task PutAsync(BlobContainerClient container, string name, Stream content, CancellationToken cancellationToken) =>
        BlockUpload.UploadAsync(container.GetBlockBlobClient(name), content, new BlockUploadOptions { TransactionalMd5 = false }, Connection.Options, cancellationToken);

    /// <summary>Ingests one upload of <c>incoming</c> as the queue-triggered function would.</summary>
    public Task<IngestResult> IngestAsync(string name, CancellationToken cancellationToken) =>
        Service.IngestAsync(
            new IngestRequest
            {
                Container = Containers.Incoming,
                BlobName = name,
                EventId = Guid.NewGuid().ToString(),
                CorrelationId = Guid.NewGuid().ToString(),
            },
            cancellationToken);

    /// <summary>
    /// Ingests every one of <paramref name="names"/>, <paramref name="parallelism"/> at a time, prints the outcome counts,
    /// and adds a failure unless every one ended archived.
    /// </summary>
    public async Task IngestAllAsync(IReadOnlyList<string> names, int parallelism, List<string> failures, CancellationToken cancellationToken)
    {
        var outcomes = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (name, ct) =>
        {
            var result = await IngestAsync(name, ct).ConfigureAwait(false);
            outcomes.AddOrUpdate($"{result.Outcome}{(result.ReasonCode is null ? string.Empty : " " + result.ReasonCode)}", 1, (_, n) => n + 1);
        }).ConfigureAwait(false);
        Console.WriteLine("  study outcomes: " + string.Join(", ", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key} {o.Value}")));
        if (outcomes.Count != 1 || !outcomes.ContainsKey(nameof(IngestOutcome.Archived)))
        {
            failures.Add("not every study instance ended Archived");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(_keyDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
