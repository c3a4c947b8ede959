using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CloudArchive.Azure.Research;
using CloudArchive.Azure.Storage;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Keys;
using CloudArchive.Functions.Export;
using CloudArchive.Functions.Ingest;
using CloudArchive.Functions.LocalHost;
using CloudArchive.Research.Export;
using CloudArchive.Testing.Azurite;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CloudArchive.Functions.Tests.Export;

/// <summary>
/// The function app as the local host runs it (<see cref="LocalHostApp.Build"/>: the one composition root, Azurite, local
/// KEK in a temp directory, unique container names), with the function classes activated from its services the way
/// the worker activates them. Triggers are off unless <c>LocalHost:RunTriggers</c> is set in <c>extra</c>.
/// </summary>
internal sealed class ExportApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ExportApp(WebApplication app, string keyDirectory, Dictionary<string, string> containers, StorageConnection connection, LogRecorder logs)
    {
        _app = app;
        KeyDirectory = keyDirectory;
        Names = containers;
        Connection = connection;
        Logs = logs;
    }

    public Dictionary<string, string> Names { get; }

    public StorageConnection Connection { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Every line the app logged.</summary>
    public LogRecorder Logs { get; }

    /// <summary>The local KEK directory (CLI sessions of the same archive need it).</summary>
    public string KeyDirectory { get; }

    public BlobContainerClient Container(string role) => Connection.Blobs.GetBlobContainerClient(Names[role]);

    public BlobAgreementStore Agreements => new(Container("Control"));

    public BlobConsentRegistry Consents => new(Container("Control"));

    /// <summary>The local host's invoker: runs a function through the middleware exactly like a delivery.</summary>
    internal LocalFunctionInvoker Invoker => Services.GetRequiredService<LocalFunctionInvoker>();

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    /// <param name="azurite">The storage.</param>
    /// <param name="extra">More settings (they override the defaults).</param>
    /// <param name="services">Replacements, registered before the composition root (whose registrations are all TryAdd).</param>
    public static async Task<ExportApp> StartAsync(AzuriteFixture azurite, IDictionary<string, string?>? extra = null, Action<IServiceCollection>? services = null)
    {
        var keyDirectory = TestArchiveSettings.NewKeyDirectory();
        var names = LocalHostArchive.UniqueContainers();
        var logs = new LogRecorder();
        try
        {
            var app = LocalHostApp.Build(LocalHostArchive.Args, builder =>
            {
                builder.Logging.ClearProviders();
                builder.Logging.AddProvider(logs);
                var settings = LocalHostArchive.Settings(azurite.ConnectionString, keyDirectory, names);
                foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
                {
                    settings[key] = value;
                }

                builder.Configuration.AddInMemoryCollection(settings);
                services?.Invoke(builder.Services);
            });
            await app.StartAsync(Ct);
            return new ExportApp(app, keyDirectory, names, azurite.Connection, logs);
        }
        catch
        {
            TestArchiveSettings.DeleteDirectory(keyDirectory);
            throw;
        }
    }

    /// <summary>Uploads an instance and runs IngestInstance on its BlobCreated event (base64, as Event Grid enqueues it); fails unless archived.</summary>
    public async Task IngestAsync(string name, byte[] content)
    {
        await Container("Incoming").GetBlobClient(name).UploadAsync(new BinaryData(content), overwrite: true, Ct);
        await using var scope = Services.CreateAsyncScope();
        var function = ActivatorUtilities.CreateInstance<IngestInstance>(scope.ServiceProvider);
        var results = await function.IngestAsync(Payloads.Base64(Payloads.EventGridEvent(Names["Incoming"], name, eventId: Guid.NewGuid().ToString("D"))), 1, NewCorrelationId(), Ct);
        Xunit.Assert.Equal(IngestOutcome.Archived, Xunit.Assert.Single(results).Outcome);
    }

    /// <summary>Runs ExportResearchCopies on a message text; the manifest, or null when the agreement's state refused the export.</summary>
    public async Task<ExportManifest?> ExportAsync(string messageText, string? correlationId = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var function = ActivatorUtilities.CreateInstance<ExportResearchCopies>(scope.ServiceProvider);
        return await function.ExportAsync(messageText, correlationId ?? NewCorrelationId(), Ct);
    }

    /// <summary>Delivers a message text to ExportResearchCopies as the host does (invocation middleware, trigger binding); throws when the invocation fails.</summary>
    public Task DeliverExportAsync(string messageText, long dequeueCount = 1) =>
        Invoker.InvokeQueueAsync(Invoker.Catalog.Get(ExportResearchCopies.Name), messageText, Guid.NewGuid().ToString("D"), dequeueCount, DateTimeOffset.UtcNow, Ct);

    public static string Request(string agreementId, string requestedBy = "svc:export-test") =>
        new JsonObject { ["agreementId"] = agreementId, ["requestedBy"] = requestedBy }.ToJsonString();


    public static string NewCorrelationId() => Guid.NewGuid().ToString("D");

    public async Task<string> PseudonymAsync(string patientId)
    {
        using var namer = await Services.GetRequiredService<Keyring>().GetIndexKeyNamerAsync(Ct);
        return PatientPseudonymizer.Pseudonym(namer, patientId, null)!;
    }

    public async Task<string> StudyKeyAsync(string studyUid)
    {
        using var namer = await Services.GetRequiredService<Keyring>().GetIndexKeyNamerAsync(Ct);
        return namer.NameFor(studyUid);
    }

    public async Task<List<BlobItem>> ListAsync(string role, string? prefix = null)
    {
        var items = new List<BlobItem>();
        await foreach (var item in Container(role).GetBlobsAsync(new GetBlobsOptions { Prefix = prefix, Traits = BlobTraits.Tags }, Ct))
        {
            items.Add(item);
        }

        return items;
    }

    public async Task<byte[]> ReadAllAsync(string role, string name)
    {
        var download = await Container(role).GetBlobClient(name).DownloadContentAsync(Ct);
        return download.Value.Content.ToArray();
    }

    public async Task<List<AuditEvent>> AuditEventsAsync()
    {
        var events = new List<AuditEvent>();
        foreach (var item in await ListAsync("Audit", AuditBlobName.Root))
        {
            foreach (var line in Encoding.UTF8.GetString(await ReadAllAsync("Audit", item.Name)).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                events.Add(AuditLineSerializer.Parse(Encoding.UTF8.GetBytes(line)).Event);
            }
        }

        return events;
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds} s waiting until {what}.");
            }

            await Task.Delay(100, Ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        TestArchiveSettings.DeleteDirectory(KeyDirectory);
    }
}
