using System.Net.Http.Headers;
using Azure.Storage.Blobs;
using CloudArchive.Azure.Composition;
using CloudArchive.Azure.Identity;
using CloudArchive.Azure.Storage;
using CloudArchive.Core.Identity;
using CloudArchive.Core.Ingest;
using CloudArchive.Functions.LocalHost;
using CloudArchive.Testing;
using CloudArchive.Testing.Azurite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CloudArchive.Benchmarks.Stow;

/// <summary>
/// The function app in the local host (<see cref="LocalHostApp.Build"/>, triggers off) on a loopback port over a private
/// Azurite: STOW-RS is measured over real HTTP, and the Blob-upload path with the same app's ingest handler and
/// storage connection, so both ingest through the same composed pipeline.
/// </summary>
internal sealed class StowBenchApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StowBenchApp(WebApplication app)
    {
        _app = app;
        Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        Containers = app.Services.GetRequiredService<CloudArchiveSettings>().Containers;
        Connection = app.Services.GetRequiredService<StorageConnection>();
        Ingest = app.Services.GetRequiredService<IIngestHandler>();
        Http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
    }

    public Uri Address { get; }

    public ArchiveContainerNames Containers { get; }

    public StorageConnection Connection { get; }

    public IIngestHandler Ingest { get; }

    public HttpClient Http { get; }

    public BlobContainerClient Incoming => Connection.Blobs.GetBlobContainerClient(Containers.Incoming);

    public static async Task<StowBenchApp> StartAsync(AzuriteProcess azurite, string workDirectory, CancellationToken cancellationToken)
    {
        var root = RepositoryPaths.FindRoot();
        var keyDirectory = Path.Combine(workDirectory, "kek");
        Directory.CreateDirectory(keyDirectory);
        var app = LocalHostApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Logging.ClearProviders();
            var settings = TestArchiveSettings.For(azurite.ConnectionString, keyDirectory);
            settings["LocalHost:RunTriggers"] = "false";
            settings["CloudArchive:Policies:RetentionFiles"] = Path.Combine(root, "data/policies/retention/default.json") + ";" + Path.Combine(root, "data/policies/retention/uk-nhs-england.json");
            settings["CloudArchive:Retention:Jurisdiction"] = "GB-ENG";
            settings["CloudArchive:Ingest:TempDirectory"] = workDirectory;
            builder.Configuration.AddInMemoryCollection(settings);
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bench = new StowBenchApp(app);
        await bench.WaitForContainersAsync(cancellationToken).ConfigureAwait(false);
        return bench;
    }

    /// <summary>A development token with the Archive.Upload role.</summary>
    public string Token() => _app.Services.GetRequiredService<DevelopmentTokenIssuer>().Mint(new DevelopmentTokenRequest
    {
        Issuer = DevelopmentTokenIssuer.IssuerUri(Address),
        ObjectId = Guid.NewGuid().ToString("D"),
        Roles = [ArchiveRoles.ArchiveUpload],
    });

    /// <summary>One chunked STOW-RS request of <paramref name="parts"/>; returns the HTTP status.</summary>
    public async Task<int> StowAsync(IReadOnlyList<Func<Stream>> parts, CancellationToken cancellationToken)
    {
        var content = new MultipartContent("related", "bench-" + Guid.NewGuid().ToString("N"));
        content.Headers.ContentType!.Parameters.Add(new NameValueHeaderValue("type", "\"application/dicom\""));
        foreach (var open in parts)
        {
            var part = new StreamContent(open(), 81920);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
            content.Add(part);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Address, "api/dicomweb/studies")) { Content = content };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Accept.ParseAdd("application/dicom+json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token());
        using var response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        content.Dispose();
        return (int)response.StatusCode;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task WaitForContainersAsync(CancellationToken cancellationToken)
    {
        // The app creates its containers in a hosted service at start; the benchmark's uploads need them.
        for (var i = 0; i < 100 && !(await Incoming.ExistsAsync(cancellationToken).ConfigureAwait(false)).Value; i++)
        {
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }
}
