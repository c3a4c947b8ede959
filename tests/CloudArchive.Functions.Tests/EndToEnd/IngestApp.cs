using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Functions.Composition;
using CloudArchive.Testing;
using CloudArchive.Testing.Azurite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CloudArchive.Functions.Tests.EndToEnd;

/// <summary>
/// The real custom-handler app (real composition, real Azurite, local KEK in a temp directory) on a loopback port,
/// with unique container names, driven the way the Functions host drives it: one POST per queue message, re-posted
/// after any non-2xx answer.
/// </summary>
internal sealed partial class IngestApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _keyDirectory;

    private IngestApp(WebApplication app, HttpClient client, string keyDirectory, IngestContainers containers, StorageConnection connection)
    {
        _app = app;
        Client = client;
        _keyDirectory = keyDirectory;
        Containers = containers;
        Connection = connection;
    }

    public HttpClient Client { get; }

    public IngestContainers Containers { get; }

    public StorageConnection Connection { get; }

    public IServiceProvider Services => _app.Services;

    public BlobContainerClient Incoming => Connection.Blobs.GetContainer(Containers.Incoming);

    public BlobContainerClient Archive => Connection.Blobs.GetContainer(Containers.Archive);

    public BlobContainerClient Quarantine => Connection.Blobs.GetContainer(Containers.Quarantine);

    public BlobContainerClient Audit => Connection.Blobs.GetContainer(Containers.Audit);

    public BlobContainerClient Keyring => Connection.Blobs.GetContainer(Containers.Keyring);

    /// <summary>Starts the app; <paramref name="services"/> may pre-register replacements (fault injection).</summary>
    public static async Task<IngestApp> StartAsync(AzuriteFixture azurite, Action<IServiceCollection, IngestContainers>? services = null, string? keyDirectory = null)
    {
        var root = RepositoryPaths.FindRoot();
        keyDirectory ??= Path.Combine(Path.GetTempPath(), "ca-e2e-kek-" + Guid.NewGuid().ToString("N"));
        var containers = new IngestContainers
        {
            Incoming = AzuriteFixture.UniqueName("in"),
            Archive = AzuriteFixture.UniqueName("ar"),
            Quarantine = AzuriteFixture.UniqueName("qu"),
            Keyring = AzuriteFixture.UniqueName("kr"),
            Audit = AzuriteFixture.UniqueName("au"),
        };
        var app = FunctionsApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["CloudArchive:Storage:ConnectionString"] = azurite.ConnectionString,
                ["CloudArchive:Containers:Incoming"] = containers.Incoming,
                ["CloudArchive:Containers:Archive"] = containers.Archive,
                ["CloudArchive:Containers:Quarantine"] = containers.Quarantine,
                ["CloudArchive:Containers:Keyring"] = containers.Keyring,
                ["CloudArchive:Containers:Audit"] = containers.Audit,
                ["CloudArchive:Keys:Provider"] = "Local",
                ["CloudArchive:Keys:LocalKeyFile"] = keyDirectory,
                ["CloudArchive:Policies:RetentionFiles"] = Path.Combine(root, "data/policies/retention/default.json") + ";" + Path.Combine(root, "data/policies/retention/uk-nhs-england.json"),
                ["CloudArchive:Policies:MinimizationFile"] = Path.Combine(root, "data/policies/minimization/default.json"),
                ["CloudArchive:Retention:Jurisdiction"] = "GB-ENG",
            });
            services?.Invoke(builder.Services, containers);
            IngestServiceRegistration.AddIngest(builder);
        });
        await app.StartAsync(Xunit.TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
        return new IngestApp(app, client, keyDirectory, containers, azurite.Connection);
    }

    public async Task UploadAsync(string name, byte[] content) =>
        await Incoming.GetBlob(name).UploadAsync(new MemoryStream(content), cancellationToken: Xunit.TestContext.Current.CancellationToken);

    /// <summary>One invocation as the host sends it for a queue message carrying a BlobCreated event.</summary>
    public async Task<(HttpStatusCode Status, string Logs)> PostAsync(string blobName, int dequeueCount = 1)
    {
        var eventJson = Payloads.EventGridEvent(Containers.Incoming, blobName);
        var body = Payloads.Invocation(Payloads.DoubleEncoded(Payloads.Base64(eventJson)), dequeueCount);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/IngestInstance") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        using var response = await Client.SendAsync(request, Xunit.TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(Xunit.TestContext.Current.CancellationToken);
        var logs = string.Join("\n", (JsonNode.Parse(text)?["Logs"]?.AsArray() ?? []).Select(n => n?.GetValue<string>()));
        return (response.StatusCode, logs);
    }

    /// <summary>Posts like the host: re-delivers after a failure, up to <paramref name="maxDeliveries"/> times.</summary>
    public async Task<Handled> DeliverAsync(string blobName, int maxDeliveries = 5)
    {
        var failures = 0;
        var lastLogs = string.Empty;
        for (var delivery = 1; delivery <= maxDeliveries; delivery++)
        {
            var (status, logs) = await PostAsync(blobName, delivery);
            if (status == HttpStatusCode.OK)
            {
                var match = OutcomeLine().Match(logs);
                Xunit.Assert.True(match.Success, logs);
                return new Handled(blobName, match.Groups["outcome"].Value, match.Groups["instance"].Success ? match.Groups["instance"].Value : null, match.Groups["reason"].Success ? match.Groups["reason"].Value : null, failures);
            }

            failures++;
            lastLogs = logs;
        }

        throw new Xunit.Sdk.XunitException($"{blobName}: not handled after {maxDeliveries} deliveries. Last answer: {lastLogs}");
    }

    public async Task<List<BlobItem>> ListAsync(BlobContainerClient container, string? prefix = null)
    {
        var items = new List<BlobItem>();
        await foreach (var item in container.ListBlobsAsync(new BlobListOptions { Prefix = prefix, IncludeMetadata = true, IncludeTags = true }, Xunit.TestContext.Current.CancellationToken))
        {
            items.Add(item);
        }

        return items;
    }

    public async Task<byte[]> ReadAllAsync(BlobContainerClient container, string name)
    {
        await using var download = await container.GetBlob(name).DownloadAsync(cancellationToken: Xunit.TestContext.Current.CancellationToken);
        var buffer = new MemoryStream();
        await download.Content.CopyToAsync(buffer, Xunit.TestContext.Current.CancellationToken);
        return buffer.ToArray();
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

    [GeneratedRegex(": (?<outcome>Archived|Duplicate|Quarantined|AlreadyHandled)(?: instance (?<instance>[a-z2-7]{26}))?(?: reason (?<reason>\\S+))?$", RegexOptions.Multiline)]
    private static partial Regex OutcomeLine();
}
