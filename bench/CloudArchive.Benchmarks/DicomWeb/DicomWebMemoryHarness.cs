using System.Globalization;
using CloudArchive.Azure.Identity;
using CloudArchive.Azure.Storage;
using CloudArchive.Benchmarks.Ingest;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Cli.Commands.Dev;
using CloudArchive.Cli.Commands.Status;
using CloudArchive.Core.Crypto;
using CloudArchive.Core.Identity;
using CloudArchive.Dicom;
using CloudArchive.Testing;
using CloudArchive.Testing.Azurite;

namespace CloudArchive.Benchmarks.DicomWeb;

/// <summary>
/// The 1 GiB DICOMweb round trip measured in the function app's process alone: Azurite and the app (its local host,
/// started as <c>dev up</c> starts it, with <c>dev up</c>'s settings, local key and development token issuer) run as
/// child processes; this process generates a 1 GiB instance into a file, stores it by STOW-RS and retrieves it by
/// WADO-RS into a SHA-256, and samples the app's <c>/proc/{pid}/status</c> during each phase. Fails when a phase's
/// peak resident memory reaches the limit (default 256 MiB) or the bytes do not round-trip.
/// <c>dotnet run -c Release --project bench/CloudArchive.Benchmarks -- harness dicomweb-memory [--mib N] [--limit-mib N] [--functions-dll PATH] [--env NAME=VALUE]...</c>
/// (<c>--env</c> passes a setting to the app only, e.g. <c>DOTNET_GCHeapHardLimit=0x8000000</c> to profile).
/// </summary>
public sealed class DicomWebMemoryHarness : IHarness
{
    private const double MiB = 1024 * 1024;

    /// <inheritdoc />
    public string Name => "dicomweb-memory";

    /// <inheritdoc />
    public string Description => "a 1 GiB instance by STOW-RS and back by WADO-RS; peak resident memory of the app process alone < 256 MiB";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        long sizeMiB = 1024;
        long limit = 256L * 1024 * 1024;
        var root = RepositoryPaths.FindRoot();
        var dll = Path.Combine(root, "src", "CloudArchive.Functions", "bin", "Release", "net10.0", "CloudArchive.Functions.dll");
        var extra = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i++)
        {
            switch (args[i])
            {
                case "--mib": sizeMiB = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--limit-mib": limit = long.Parse(args[++i], CultureInfo.InvariantCulture) * 1024 * 1024; break;
                case "--functions-dll": dll = Path.GetFullPath(args[++i]); break;
                case "--env":
                    var pair = args[++i].Split('=', 2);
                    extra[pair[0]] = pair.Length == 2 ? pair[1] : string.Empty;
                    break;
                default: break;
            }
        }

        var work = Directory.CreateTempSubdirectory("cloudarchive-dicomweb-memory-");
        try
        {
            var paths = DevPaths.Find(root, Path.Combine(work.FullName, "state"));
            await using var azurite = await AzuriteProcess.StartAsync(cancellationToken).ConfigureAwait(false);
            var settings = await PrepareArchiveAsync(paths, azurite, cancellationToken).ConfigureAwait(false);
            foreach (var (key, value) in extra)
            {
                settings[key] = value;
            }

            var path = Path.Combine(work.FullName, "large.dcm");
            var length = await BenchInstances.LargeAsync(path, sizeMiB, cancellationToken).ConfigureAwait(false);
            var instancePath = await InstancePathAsync(path, cancellationToken).ConfigureAwait(false);
            var upload = await DicomWebRoundTripClient.HashFileAsync(path, cancellationToken).ConfigureAwait(false);

            using var app = await FunctionHostLauncher.StartAsync(dll, settings, paths, cancellationToken).ConfigureAwait(false);
            using var issuer = DevelopmentTokenIssuer.LoadOrCreate(paths.DevIssuer);
            string Token(string role) => issuer.Mint(new DevelopmentTokenRequest
            {
                Issuer = DevelopmentTokenIssuer.IssuerUri(app.BaseUri),
                ObjectId = Guid.NewGuid().ToString("D"),
                Roles = [role],
            });

            using var client = new DicomWebRoundTripClient(app.BaseUri);
            var sampler = new ChildMemorySampler(app.ProcessId);
            var (readyRss, readyHwm) = sampler.Read();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"dicomweb-memory: {length / MiB:0} MiB instance, app pid {app.ProcessId} ({Path.GetFileName(dll)}), Azurite in memory, {Environment.ProcessorCount} logical CPUs"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  app ready: VmRSS {readyRss / MiB:0} MiB, VmHWM {readyHwm / MiB:0} MiB"));
            var failures = new List<string>();

            var status = 0;
            var stow = await sampler.MeasureAsync("STOW-RS", async () => status = await client.StowAsync(path, Token(ArchiveRoles.ArchiveUpload), cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            File.Delete(path);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {length / 1e6 / stow.Seconds:0.0} MB/s, HTTP {status}"));
            if (status != 200)
            {
                failures.Add($"STOW-RS answered {status}, not 200:{Environment.NewLine}{app.RecentOutput}");
            }
            else
            {
                (long Length, byte[] Sha256) retrieved = default;
                var wado = await sampler.MeasureAsync("WADO-RS", async () => retrieved = await client.RetrieveAsync(instancePath, Token(ArchiveRoles.ArchiveRead), cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {retrieved.Length / 1e6 / wado.Seconds:0.0} MB/s, {retrieved.Length} bytes"));
                await CheckRoundTripAsync(client, instancePath, Token(ArchiveRoles.ArchiveRead), upload, retrieved, failures, cancellationToken).ConfigureAwait(false);
                foreach (var phase in new[] { stow, wado })
                {
                    if (phase.PeakBytes >= limit)
                    {
                        failures.Add(string.Create(CultureInfo.InvariantCulture, $"{phase.Label} peak resident {phase.PeakBytes / MiB:0} MiB >= {limit / MiB:0} MiB"));
                    }
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  app peak resident: STOW-RS {stow.PeakBytes / MiB:0} MiB, WADO-RS {wado.PeakBytes / MiB:0} MiB (limit {limit / MiB:0} MiB)"));
            }

            foreach (var failure in failures)
            {
                Console.WriteLine("FAIL: " + failure);
            }

            Console.WriteLine(failures.Count == 0 ? "PASS" : "FAIL");
            return failures.Count == 0 ? 0 : 1;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>
    /// <c>dev up</c>'s settings for a fresh state directory: its containers and queues on this Azurite, its local key
    /// and its development token issuer key (the app validates tokens against the latter).
    /// </summary>
    private static async Task<Dictionary<string, string>> PrepareArchiveAsync(DevPaths paths, AzuriteProcess azurite, CancellationToken cancellationToken)
    {
        var values = DevSettings.Create(paths, azurite.ConnectionString);
        var archive = ArchiveSettings.FromValues(values.ToDictionary(kv => kv.Key.Replace("__", ":", StringComparison.Ordinal), kv => kv.Value), paths.DevEnvFile);
        var connection = StorageConnection.FromConnectionString(azurite.ConnectionString);
        foreach (var role in ArchiveStatusReader.ContainerRoles)
        {
            await connection.Blobs.GetBlobContainerClient(archive.Container(role)).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        foreach (var queue in ArchiveStatusReader.QueueNames)
        {
            await connection.Queues.GetQueueClient(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        using (var keys = new LocalKeyEncryptionKeyProvider(new LocalKeyEncryptionKeyOptions { KeyPath = paths.Keys }))
        {
            await keys.GetCurrentLocalKeyAsync(cancellationToken).ConfigureAwait(false);
        }

        DevelopmentTokenIssuer.LoadOrCreate(paths.DevIssuer).Dispose();
        Directory.CreateDirectory(paths.Logs);
        return values;
    }

    private static async Task<string> InstancePathAsync(string path, CancellationToken cancellationToken)
    {
        await using var header = await DicomReader.ReadFileAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
        var study = header.Dataset.GetString(new DicomTag(0x0020, 0x000D))!;
        var series = header.Dataset.GetString(new DicomTag(0x0020, 0x000E))!;
        var sop = header.Dataset.GetString(DicomTags.SOPInstanceUID)!;
        return $"api/dicomweb/studies/{study}/series/{series}/instances/{sop}";
    }

    /// <summary>
    /// The retrieve must be the upload byte for byte; when the ingest rewrote the header (minimization), a second
    /// retrieve must return the same bytes as the first, and the instance must not have shrunk by more than a header.
    /// </summary>
    private static async Task CheckRoundTripAsync(DicomWebRoundTripClient client, string instancePath, string token, (long Length, byte[] Sha256) upload, (long Length, byte[] Sha256) retrieved, List<string> failures, CancellationToken cancellationToken)
    {
        if (upload.Length == retrieved.Length && upload.Sha256.AsSpan().SequenceEqual(retrieved.Sha256))
        {
            Console.WriteLine("  round trip: the retrieved instance is the upload byte for byte (SHA-256)");
            return;
        }

        var again = await client.RetrieveAsync(instancePath, token, cancellationToken).ConfigureAwait(false);
        var stable = again.Length == retrieved.Length && again.Sha256.AsSpan().SequenceEqual(retrieved.Sha256);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  round trip: the ingest rewrote the instance ({upload.Length} -> {retrieved.Length} bytes); a second retrieve is {(stable ? "identical" : "DIFFERENT")}"));
        if (!stable)
        {
            failures.Add("two retrieves of the same instance returned different bytes");
        }

        if (Math.Abs(upload.Length - retrieved.Length) > 64 * 1024)
        {
            failures.Add($"the retrieved instance is {retrieved.Length} bytes, the upload {upload.Length}");
        }
    }
}
