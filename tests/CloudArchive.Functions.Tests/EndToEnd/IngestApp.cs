using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CloudArchive.Azure.Composition;
using CloudArchive.Azure.Storage;
using CloudArchive.Core.Ingest;
using CloudArchive.Functions.Export;
using CloudArchive.Functions.Ingest;
using CloudArchive.Functions.LocalHost;
using CloudArchive.Testing.Azurite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CloudArchive.Functions.Tests.EndToEnd;

/// <summary>
/// The real app in the local host (real composition, real Azurite, local KEK in a temp directory, unique container
/// names), its triggers off: each queue message is delivered by invoking IngestInstance through the local host's invoker
/// and middleware, as the host's queue listener does, and delivered again with the next dequeue count after a failure.
/// </summary>
internal sealed class IngestApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _keyDirectory;
    private readonly LocalFunctionInvoker _invoker;
    private readonly LocalFunction _function;

    private IngestApp(WebApplication app, string keyDirectory, ArchiveContainerNames containers, StorageConnection connection, LogRecorder logs)
    {
        _app = app;
        _keyDirectory = keyDirectory;
        Containers = containers;
        Connection = connection;
        Logs = logs;
        _invoker = app.Services.GetRequiredService<LocalFunctionInvoker>();
        _function = _invoker.Catalog.Get(IngestInstance.Name);
        Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }

    public ArchiveContainerNames Containers { get; }

    /// <summary>The test's own connection to Azurite (never the app's, which may inject faults).</summary>
    public StorageConnection Connection { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Where Kestrel serves the HTTP functions (<c>api/research/...</c>).</summary>
    public Uri Address { get; }

    /// <summary>Everything the app logged.</summary>
    public LogRecorder Logs { get; }

    /// <summary>The local KEK directory (CLI sessions of the same archive need it).</summary>
    public string KeyDirectory => _keyDirectory;

    public BlobContainerClient Container(string role) => Connection.Blobs.GetBlobContainerClient(Containers.For(role));

    public BlobContainerClient Incoming => Connection.Blobs.GetBlobContainerClient(Containers.Incoming);

    public BlobContainerClient Archive => Connection.Blobs.GetBlobContainerClient(Containers.Archive);

    public BlobContainerClient Quarantine => Connection.Blobs.GetBlobContainerClient(Containers.Quarantine);

    public BlobContainerClient Audit => Connection.Blobs.GetBlobContainerClient(Containers.Audit);

    public BlobContainerClient Keyring => Connection.Blobs.GetBlobContainerClient(Containers.Keyring);

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    /// <summary>Starts the app; <paramref name="services"/> may register replacements (fault injection) before the archive is composed.</summary>
    /// <param name="azurite">The storage.</param>
    /// <param name="services">Registrations made before the archive is composed.</param>
    /// <param name="extraSettings">Settings added to (or replacing) the test archive's.</param>
    public static Task<IngestApp> StartAsync(AzuriteFixture azurite, Action<IServiceCollection, ArchiveContainerNames>? services = null, IReadOnlyDictionary<string, string?>? extraSettings = null) =>
        StartAsync(azurite, services, shareWith: null, extraSettings);

    /// <summary>
    /// Starts a second app instance of <paramref name="shareWith"/>'s archive (same containers and KEK): another process
    /// with its own composition root, key cache and audit writer, as two function app instances in Azure.
    /// </summary>
    public static Task<IngestApp> StartSecondInstanceAsync(AzuriteFixture azurite, IngestApp shareWith) => StartAsync(azurite, null, shareWith, null);

    private static async Task<IngestApp> StartAsync(AzuriteFixture azurite, Action<IServiceCollection, ArchiveContainerNames>? services, IngestApp? shareWith, IReadOnlyDictionary<string, string?>? extraSettings)
    {
        var keyDirectory = shareWith?._keyDirectory ?? TestArchiveSettings.NewKeyDirectory();
        var containers = shareWith?.Containers ?? new ArchiveContainerNames
        {
            Incoming = AzuriteFixture.UniqueName("in"),
            Archive = AzuriteFixture.UniqueName("ar"),
            Quarantine = AzuriteFixture.UniqueName("qu"),
            Keyring = AzuriteFixture.UniqueName("kr"),
            Audit = AzuriteFixture.UniqueName("au"),
            Control = AzuriteFixture.UniqueName("co"),
            Research = AzuriteFixture.UniqueName("re"),
            Seals = AzuriteFixture.UniqueName("se"),
        };
        var root = CloudArchive.Testing.RepositoryPaths.FindRoot();
        var logs = new LogRecorder();
        var app = LocalHostApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(logs);
            var settings = TestArchiveSettings.For(azurite.ConnectionString, keyDirectory);
            settings["CloudArchive:Policies:RetentionFiles"] = Path.Combine(root, "data/policies/retention/default.json") + ";" + Path.Combine(root, "data/policies/retention/uk-nhs-england.json");
            settings["CloudArchive:Retention:Jurisdiction"] = "GB-ENG";
            settings["LocalHost:RunTriggers"] = "false";
            foreach (var role in ArchiveContainerNames.Roles)
            {
                settings[$"{ArchiveContainerNames.Section}:{role}"] = containers.For(role);
            }

            foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
            {
                settings[key] = value;
            }

            builder.Configuration.AddInMemoryCollection(settings);
            services?.Invoke(builder.Services, containers);
            builder.Services.AddSingleton<IIngestHandler>(sp => new ResultCapturingIngestHandler(sp.GetRequiredService<IngestService>()));
        });
        await app.StartAsync(Ct);
        return new IngestApp(app, keyDirectory, containers, azurite.Connection, logs) { _ownsKeys = shareWith is null };
    }

    private bool _ownsKeys = true;

    /// <summary>Writes an upload as a gateway does: a later upload under the same name replaces the earlier one.</summary>
    public async Task UploadAsync(string name, byte[] content) =>
        await Incoming.GetBlobClient(name).UploadAsync(new BinaryData(content), overwrite: true, Ct);

    /// <summary>
    /// Delivers the BlobCreated event of <paramref name="blobName"/> (base64, as Event Grid writes it) like the host: through
    /// the middleware, with dequeue count 1, 2, ... until an invocation succeeds, at most <paramref name="maxDeliveries"/> times.
    /// </summary>
    public async Task<Handled> DeliverAsync(string blobName, int maxDeliveries = 5)
    {
        var message = Payloads.Base64(Payloads.EventGridEvent(Containers.Incoming, blobName));
        var messageId = Guid.NewGuid().ToString("D");
        var insertedOn = DateTimeOffset.UtcNow;
        var failures = new List<string>();
        for (var delivery = 1; delivery <= maxDeliveries; delivery++)
        {
            var results = ResultCapturingIngestHandler.Capture();
            try
            {
                await _invoker.InvokeQueueAsync(_function, message, messageId, delivery, insertedOn, Ct);
            }
            catch (Exception ex) when (!Ct.IsCancellationRequested)
            {
                failures.Add($"delivery {delivery}: {ex.GetType().Name}: {ex.Message}");
                continue;
            }

            var result = Xunit.Assert.Single(results);
            return new Handled(blobName, result.Outcome, result.InstanceKey, result.ReasonCode, failures.Count, result.QuarantineId);
        }

        throw new Xunit.Sdk.XunitException($"{blobName}: not handled after {maxDeliveries} deliveries:\n{string.Join("\n", failures)}");
    }

    /// <summary>One delivery of an export-requests message to ExportResearchCopies through the middleware; throws when the invocation fails.</summary>
    public Task DeliverExportAsync(string messageText) =>
        _invoker.InvokeQueueAsync(_invoker.Catalog.Get(ExportResearchCopies.Name), messageText, Guid.NewGuid().ToString("D"), 1, DateTimeOffset.UtcNow, Ct);

    public async Task<List<BlobItem>> ListAsync(BlobContainerClient container, string? prefix = null)
    {
        var items = new List<BlobItem>();
        await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix, Traits = BlobTraits.Metadata | BlobTraits.Tags }, Ct))
        {
            items.Add(item);
        }

        return items;
    }

    /// <summary>The decrypted copy of a quarantined upload, read through the composed quarantine store and keyring.</summary>
    public async Task<byte[]> DecryptQuarantineCopyAsync(string id)
    {
        var copy = await Services.GetRequiredService<CloudArchive.Core.Ingest.IQuarantineStore>().OpenCopyAsync(id, Ct) ?? throw new InvalidOperationException("No quarantine copy " + id);
        await using (copy)
        {
            var keyring = Services.GetRequiredService<CloudArchive.Core.Keys.Keyring>();
            await using var plain = await new CloudArchive.Core.Crypto.EnvelopeDecryptor(keyring.QuarantineKeyResolver).OpenReadAsync(copy.Content, copy.Metadata, CloudArchive.Core.Ingest.Quarantine.QuarantineNames.Copy(id), copy.Length, leaveOpen: true, cancellationToken: Ct);
            var output = new MemoryStream();
            await plain.CopyToAsync(output, Ct);
            return output.ToArray();
        }
    }

    public async Task<byte[]> ReadAllAsync(BlobContainerClient container, string name)
    {
        var download = await container.GetBlobClient(name).DownloadContentAsync(Ct);
        return download.Value.Content.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ownsKeys)
        {
            TestArchiveSettings.DeleteDirectory(_keyDirectory);
        }
    }
}
