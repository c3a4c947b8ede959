using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CloudArchive.Azure.Research;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Keys;
using CloudArchive.Functions.Composition;
using CloudArchive.Functions.Tests.EndToEnd;
using CloudArchive.Testing;
using CloudArchive.Testing.Azurite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CloudArchive.Functions.Tests.Export;

/// <summary>
/// The real custom-handler app composed as Program.cs composes it (ingest + research registrations, Azurite, local
/// KEK in a temp directory, unique container names), driven over HTTP the way the Functions host drives it.
/// </summary>
internal sealed class ExportApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _keyDirectory;

    private ExportApp(WebApplication app, HttpClient client, string keyDirectory, Dictionary<string, string> containers, StorageConnection connection)
    {
        _app = app;
        Client = client;
        _keyDirectory = keyDirectory;
        Names = containers;
        Connection = connection;
    }

    public HttpClient Client { get; }

    public Dictionary<string, string> Names { get; }

    public StorageConnection Connection { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The export-requests queue the CLI settings of <see cref="WriteCliSettingsAsync"/> name (unique per app).</summary>
    public string ExportRequestsQueue { get; } = AzuriteFixture.UniqueName("exq");

    /// <summary>The local KEK directory (CLI sessions of the same archive need it).</summary>
    public string KeyDirectory => _keyDirectory;

    public BlobContainerClient Container(string role) => Connection.Blobs.GetContainer(Names[role]);

    public BlobAgreementStore Agreements => new(Container("Control"));

    public BlobConsentRegistry Consents => new(Container("Control"));

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public static async Task<ExportApp> StartAsync(AzuriteFixture azurite, IDictionary<string, string?>? extra = null, Action<IServiceCollection>? services = null, bool research = true, bool researchApi = false)
    {
        var root = RepositoryPaths.FindRoot();
        var keyDirectory = Path.Combine(Path.GetTempPath(), "ca-export-kek-" + Guid.NewGuid().ToString("N"));
        var names = new Dictionary<string, string>
        {
            ["Incoming"] = AzuriteFixture.UniqueName("in"),
            ["Archive"] = AzuriteFixture.UniqueName("ar"),
            ["Quarantine"] = AzuriteFixture.UniqueName("qu"),
            ["Keyring"] = AzuriteFixture.UniqueName("kr"),
            ["Audit"] = AzuriteFixture.UniqueName("au"),
            ["Control"] = AzuriteFixture.UniqueName("co"),
            ["Research"] = AzuriteFixture.UniqueName("re"),
        };
        var app = FunctionsApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Logging.ClearProviders();
            var settings = new Dictionary<string, string?>
            {
                ["CloudArchive:Storage:ConnectionString"] = azurite.ConnectionString,
                ["CloudArchive:Keys:Provider"] = "Local",
                ["CloudArchive:Keys:LocalKeyFile"] = keyDirectory,
                ["CloudArchive:Policies:RetentionFiles"] = Path.Combine(root, "data/policies/retention/default.json"),
                ["CloudArchive:Policies:MinimizationFile"] = Path.Combine(root, "data/policies/minimization/default.json"),
            };
            foreach (var (role, name) in names)
            {
                settings["CloudArchive:Containers:" + role] = name;
            }

            foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
            {
                settings[key] = value;
            }

            builder.Configuration.AddInMemoryCollection(settings);
            services?.Invoke(builder.Services);
            IngestServiceRegistration.AddIngest(builder);
            if (research)
            {
                ResearchServiceRegistration.AddResearch(builder);
            }

            if (researchApi)
            {
                ResearchApiRegistration.AddResearchApi(builder);
            }
        });
        await app.StartAsync(Ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(120) };
        return new ExportApp(app, client, keyDirectory, names, azurite.Connection);
    }

    /// <summary>Uploads an instance and delivers its BlobCreated event to /IngestInstance; fails unless archived.</summary>
    public async Task IngestAsync(string name, byte[] content)
    {
        await Container("Incoming").GetBlob(name).UploadAsync(new MemoryStream(content), cancellationToken: Ct);
        var body = Payloads.Invocation(Payloads.DoubleEncoded(Payloads.Base64(Payloads.EventGridEvent(Names["Incoming"], name))));
        using var response = await Client.PostAsync("/IngestInstance", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Xunit.Assert.True(response.StatusCode == HttpStatusCode.OK && text.Contains(": Archived", StringComparison.Ordinal), text);
    }

    /// <summary>One invocation of /ExportResearchCopies as the host sends it for a queue message (base64 text, double-encoded).</summary>
    public async Task<(HttpStatusCode Status, string Logs)> ExportAsync(string messageJson, bool base64 = true)
    {
        var body = new JsonObject
        {
            ["Data"] = new JsonObject { ["request"] = Payloads.DoubleEncoded(base64 ? Payloads.Base64(messageJson) : messageJson) },
            ["Metadata"] = new JsonObject { ["DequeueCount"] = Payloads.DoubleEncoded(1), ["sys"] = new JsonObject { ["MethodName"] = "ExportResearchCopies" } },
        }.ToJsonString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/ExportResearchCopies") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        using var response = await Client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var logs = string.Join("\n", (JsonNode.Parse(text)?["Logs"]?.AsArray() ?? []).Select(n => n?.GetValue<string>()));
        return (response.StatusCode, logs);
    }

    public static string Request(string agreementId, string requestedBy = "svc:export-test") =>
        new JsonObject { ["agreementId"] = agreementId, ["requestedBy"] = requestedBy }.ToJsonString();

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
        await foreach (var item in Container(role).ListBlobsAsync(new BlobListOptions { Prefix = prefix, IncludeTags = true }, Ct))
        {
            items.Add(item);
        }

        return items;
    }

    public async Task<byte[]> ReadAllAsync(string role, string name)
    {
        await using var download = await Container(role).GetBlob(name).DownloadAsync(cancellationToken: Ct);
        var buffer = new MemoryStream();
        await download.Content.CopyToAsync(buffer, Ct);
        return buffer.ToArray();
    }

    /// <summary>A <c>KEY=VALUE</c> settings file for CLI commands against this archive (same storage, containers and KEK).</summary>
    public async Task<string> WriteCliSettingsAsync(string connectionString, string directory)
    {
        var lines = new List<string>
        {
            "CloudArchive:Queues:ExportRequests=" + ExportRequestsQueue,
            "CloudArchive:Storage:ConnectionString=" + connectionString,
            "CloudArchive:Keys:Provider=Local",
            "CloudArchive:Keys:LocalKeyFile=" + _keyDirectory,
        };
        lines.AddRange(Names.Select(n => $"CloudArchive:Containers:{n.Key}={n.Value}"));
        var path = Path.Combine(directory, "cli.env");
        await File.WriteAllLinesAsync(path, lines, Ct);
        return path;
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

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_keyDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
