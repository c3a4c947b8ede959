using CloudArchive.Azure.Ingest;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Core.Ingest;
using CloudArchive.Functions.Composition;
using CloudArchive.Testing;
using CloudArchive.Testing.Azurite;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CloudArchive.Benchmarks.Ingest;

/// <summary>
/// The ingest service composed by <see cref="IngestServiceRegistration.AddIngest"/> from configuration, exactly as the
/// function app composes it (blob-backed incoming/archive/quarantine stores, keyring on blobs, local KEK in a temp
/// directory, audit log on append blobs, the shipped policies in <c>data/policies</c>), against a private Azurite.
/// The web app is built but never started: the benchmark calls <see cref="IngestService.IngestAsync"/> directly.
/// </summary>
internal sealed class IngestBenchApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _keyDirectory;

    private IngestBenchApp(WebApplication app, string keyDirectory)
    {
        _app = app;
        _keyDirectory = keyDirectory;
        Containers = app.Services.GetRequiredService<IngestSettings>().Containers;
        Service = app.Services.GetRequiredService<IngestService>();
        Connection = app.Services.GetRequiredService<StorageConnection>();
    }

    public IngestService Service { get; }

    /// <summary>The connection the service uses; the plain-copy baseline uses the same client.</summary>
    public StorageConnection Connection { get; }

    public IngestContainers Containers { get; }

    public BlobContainerClient Incoming => Connection.Blobs.GetContainer(Containers.Incoming);

    public BlobContainerClient Archive => Connection.Blobs.GetContainer(Containers.Archive);

    /// <param name="counter">When given, every storage request of the service and of the baseline goes through it.</param>
    /// <param name="readChunkBytes">When given, overrides <see cref="StorageOptions.ReadChunkBytes"/> (an experiment knob).</param>
    /// <param name="withoutMd5">Experiment knob: archive writes without transactional MD5 (the function app always sends it).</param>
    public static async Task<IngestBenchApp> CreateAsync(AzuriteProcess azurite, string tempDirectory, RequestCounter? counter, int? readChunkBytes, bool withoutMd5, CancellationToken cancellationToken)
    {
        var root = RepositoryPaths.FindRoot();
        var keyDirectory = Path.Combine(tempDirectory, "kek");
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
        });
        if (counter is not null || readChunkBytes is not null)
        {
            // Registered first, so the composition's TryAdd keeps it: the same connection, plus the counting policy.
            var options = new StorageOptions();
            if (counter is not null)
            {
                options.AddPolicy(counter, global::Azure.Core.HttpPipelinePosition.PerRetry);
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
                sp.GetRequiredService<StorageConnection>().Blobs.GetContainer(sp.GetRequiredService<IngestSettings>().Containers.Archive),
                transactionalMd5: false));
        }

        IngestServiceRegistration.AddIngest(builder);
        var app = builder.Build();
        var bench = new IngestBenchApp(app, keyDirectory);
        foreach (var name in bench.Containers.All)
        {
            await bench.Connection.Blobs.GetContainer(name).CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        }

        return bench;
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
