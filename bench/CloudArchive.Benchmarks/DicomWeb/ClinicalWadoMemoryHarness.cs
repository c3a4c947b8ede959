using System.Globalization;
using System.Net.Http.Headers;
using Azure.Storage.Blobs.Specialized;
using CloudArchive.Azure.Composition;
using CloudArchive.Azure.Identity;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Benchmarks.Ingest;
using CloudArchive.Core.Identity;
using CloudArchive.Core.Ingest;
using CloudArchive.Dicom;
using CloudArchive.Functions.LocalHost;
using CloudArchive.Testing;
using CloudArchive.Testing.Azurite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CloudArchive.Benchmarks.DicomWeb;

/// <summary>
/// A generated 1 GiB original (512×512 16-bit frames) through clinical WADO-RS on Azurite: ingested once, then retrieved
/// by the local host's real HTTP function (token, purpose of use, audit, region-by-region decryption) as a whole instance
/// (<c>multipart/related; type="application/dicom"</c>, read to the end and counted) and as one frame near its end
/// (ranged reads). The peak working set of this process, which hosts the app and its HTTP client, is sampled per phase
/// and must stay under the limit (default 256 MiB); the bytes received must be the whole instance.
/// <c>dotnet run -c Release --project bench/CloudArchive.Benchmarks -- harness wado-memory [--mib N] [--limit-mib N]</c>
/// </summary>
public sealed class ClinicalWadoMemoryHarness : IHarness
{
    private const long MiB = 1024 * 1024;

    /// <inheritdoc />
    public string Name => "wado-memory";

    /// <inheritdoc />
    public string Description => "a 1 GiB original through clinical WADO-RS (instance, then one frame) on Azurite; peak working set < 256 MiB";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        long sizeMiB = 1024;
        long limit = 256 * MiB;
        for (var i = 0; i + 1 < args.Length; i++)
        {
            switch (args[i])
            {
                case "--mib": sizeMiB = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--limit-mib": limit = long.Parse(args[++i], CultureInfo.InvariantCulture) * MiB; break;
                default: break;
            }
        }

        var work = Directory.CreateTempSubdirectory("cloudarchive-wado-bench-");
        try
        {
            await using var azurite = await AzuriteProcess.StartAsync(cancellationToken).ConfigureAwait(false);
            var path = Path.Combine(work.FullName, "large.dcm");
            var length = await BenchInstances.LargeAsync(path, sizeMiB, cancellationToken).ConfigureAwait(false);
            string study, series, sop;
            long frames;
            await using (var header = await DicomReader.ReadFileAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                study = header.Dataset.GetString(new DicomTag(0x0020, 0x000D))!;
                series = header.Dataset.GetString(new DicomTag(0x0020, 0x000E))!;
                sop = header.Dataset.GetString(DicomTags.SOPInstanceUID)!;
                frames = long.Parse(header.Dataset.GetString(new DicomTag(0x0028, 0x0008))!, CultureInfo.InvariantCulture);
            }

            var keyDirectory = Path.Combine(work.FullName, "kek");
            Directory.CreateDirectory(keyDirectory);
            var app = await StartAppAsync(azurite, keyDirectory, work.FullName, cancellationToken).ConfigureAwait(false);
            await using (app.ConfigureAwait(false))
            {
                // Ingested by the app's own ingest service, as the queue-triggered function does.
                var connection = app.Services.GetRequiredService<StorageConnection>();
                var incoming = app.Services.GetRequiredService<CloudArchiveSettings>().Containers.Incoming;
                foreach (var name in app.Services.GetRequiredService<CloudArchiveSettings>().Containers.All)
                {
                    await connection.Blobs.GetBlobContainerClient(name).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                }

                var upload = File.OpenRead(path);
                await using (upload.ConfigureAwait(false))
                {
                    await BlockUpload.UploadAsync(connection.Blobs.GetBlobContainerClient(incoming).GetBlockBlobClient("large.dcm"), upload, new BlockUploadOptions { TransactionalMd5 = false }, connection.Options, cancellationToken).ConfigureAwait(false);
                }

                File.Delete(path);
                var result = await app.Services.GetRequiredService<IngestService>().IngestAsync(
                    new IngestRequest { Container = incoming, BlobName = "large.dcm", EventId = Guid.NewGuid().ToString(), CorrelationId = Guid.NewGuid().ToString() },
                    cancellationToken).ConfigureAwait(false);
                if (result.Outcome != IngestOutcome.Archived)
                {
                    Console.WriteLine($"FAIL: the instance was not archived ({result.Outcome} {result.ReasonCode})");
                    return 1;
                }

                Console.WriteLine($"wado-memory: {length / (double)MiB:0} MiB instance ({frames} frames) archived on Azurite (in memory), {Environment.ProcessorCount} logical CPUs");
                var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
                using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(30) };
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", app.Services.GetRequiredService<DevelopmentTokenIssuer>().Mint(new DevelopmentTokenRequest
                {
                    Issuer = DevelopmentTokenIssuer.IssuerUri(new Uri(address)),
                    ObjectId = Guid.NewGuid().ToString("D"),
                    Roles = [ArchiveRoles.ArchiveRead],
                    Groups = [],
                }));
                client.DefaultRequestHeaders.Add("X-Purpose-Of-Use", "TREAT");
                var measurer = new Measurer(azurite.ProcessId, null);
                var failures = new List<string>();
                var instancePath = $"api/dicomweb/studies/{study}/series/{series}/instances/{sop}";
                long received = 0;
                var whole = await measurer.MeasureAsync("WADO-RS instance", async () => received = await ReadAsync(client, instancePath, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
                Console.WriteLine($"  instance: {received / (double)MiB:0} MiB received in {whole.Seconds:0.00} s ({received / 1e6 / whole.Seconds:0} MB/s)");
                if (received < length)
                {
                    failures.Add($"received {received} bytes for a {length}-byte instance");
                }

                var frame = await measurer.MeasureAsync("WADO-RS one frame", async () => received = await ReadAsync(client, instancePath + "/frames/" + (frames - 1).ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
                Console.WriteLine($"  frame {frames - 1}: {received / 1024.0:0} KiB received in {frame.Seconds * 1000:0} ms");
                foreach (var (label, m) in new[] { ("instance", whole), ("frame", frame) })
                {
                    if (m.PeakBytes >= limit)
                    {
                        failures.Add($"{label} peak working set {m.PeakBytes / (double)MiB:0} MiB >= {limit / MiB} MiB");
                    }
                }

                Console.WriteLine($"  peak working set: instance {whole.PeakBytes / (double)MiB:0} MiB, frame {frame.PeakBytes / (double)MiB:0} MiB (limit {limit / MiB} MiB)");
                foreach (var failure in failures)
                {
                    Console.WriteLine("FAIL: " + failure);
                }

                Console.WriteLine(failures.Count == 0 ? "PASS" : "FAIL");
                return failures.Count == 0 ? 0 : 1;
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>Reads a response body to its end without keeping it; returns the bytes read.</summary>
    private static async Task<long> ReadAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            var buffer = new byte[128 * 1024];
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            return total;
        }
    }

    /// <summary>The function app in the local host (triggers off, HTTP on) over Azurite, with the ingest benchmark's policies.</summary>
    private static async Task<WebApplication> StartAppAsync(AzuriteProcess azurite, string keyDirectory, string tempDirectory, CancellationToken cancellationToken)
    {
        var root = RepositoryPaths.FindRoot();
        var app = LocalHostApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddSimpleConsole();
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            var settings = TestArchiveSettings.For(azurite.ConnectionString, keyDirectory);
            settings["CloudArchive:Storage:CreateContainers"] = "false";
            settings["LocalHost:RunTriggers"] = "false";
            settings["CloudArchive:Policies:RetentionFiles"] = Path.Combine(root, "data/policies/retention/default.json") + ";" + Path.Combine(root, "data/policies/retention/uk-nhs-england.json");
            settings["CloudArchive:Retention:Jurisdiction"] = "GB-ENG";
            settings["CloudArchive:Ingest:TempDirectory"] = tempDirectory;
            builder.Configuration.AddInMemoryCollection(settings);
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return app;
    }
}
