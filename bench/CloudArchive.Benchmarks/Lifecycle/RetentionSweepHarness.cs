using CloudArchive.Benchmarks.Ingest;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Azure.Storage.Blobs.Models;
using CloudArchive.Azure.Composition;
using CloudArchive.Core.Archive;
using CloudArchive.Core.Keys;
using CloudArchive.Core.Lifecycle.Sweep;
using CloudArchive.Testing;
using CloudArchive.Testing.Azurite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CloudArchive.Benchmarks.Lifecycle;

/// <summary>
/// <c>harness retention-sweep [--entries 100000] [--study-size 10]</c>: seeds that many archive index entries (instance
/// blobs with their index tags, studies of <c>--study-size</c> instances: half wholly expired, a quarter partly
/// expired, a quarter within retention) on a fresh Azurite, then times one <see cref="RetentionSweepService.RunAsync"/>
/// and samples the process's working set while it runs. Bound: the peak stays under 256 MiB (the sweep holds one page
/// and one study, never the listing).
/// </summary>
public sealed class RetentionSweepHarness : IHarness
{
    private const string Base32 = "abcdefghijklmnopqrstuvwxyz234567";
    private const long PeakBoundBytes = 256L << 20;

    public string Name => "retention-sweep";

    public string Description => "RetentionSweep over 100,000 index entries on Azurite: time and peak working set";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var entries = 100_000;
        var studySize = 10;
        for (var i = 0; i + 1 < args.Length; i++)
        {
            switch (args[i])
            {
                case "--entries": entries = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--study-size": studySize = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default: break;
            }
        }

        if (entries < studySize || studySize < 2)
        {
            Console.Error.WriteLine("--entries must be at least --study-size, and --study-size at least 2");
            return 2;
        }

        var keys = TestArchiveSettings.NewKeyDirectory();
        try
        {
            await using var azurite = await AzuriteProcess.StartAsync(cancellationToken).ConfigureAwait(false);
            var settings = TestArchiveSettings.For(azurite.ConnectionString, keys);
            var services = new ServiceCollection();
            services.AddCloudArchive(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), CloudArchiveHost.Cli(keys));
            await using var provider = services.BuildServiceProvider();
            var connection = provider.GetRequiredService<CloudArchive.Azure.Storage.StorageConnection>();
            foreach (var role in ArchiveContainerNames.Roles)
            {
                await connection.Blobs.GetBlobContainerClient(provider.GetRequiredService<CloudArchiveSettings>().Containers.For(role)).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            using var requests = new StorageRequestCounter();
            var seed = Stopwatch.StartNew();
            var (expired, shreddable) = await SeedAsync(provider, entries, studySize, cancellationToken).ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {entries} entries in {entries / studySize} studies ({expired} expired, {shreddable} studies wholly expired) in {seed.Elapsed.TotalSeconds:F1} s"));

            PrintRequests("seeding", requests.TakeAndReset());
            var sweep = provider.GetRequiredService<RetentionSweepService>();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var before = Process.GetCurrentProcess().WorkingSet64;
            using var emulator = Process.GetProcessById(azurite.ProcessId);
            var emulatorCpuBefore = emulator.TotalProcessorTime;
            var ownCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            using var sampler = new WorkingSetSampler();
            var clock = Stopwatch.StartNew();
            var result = await sweep.RunAsync(new DateOnly(2026, 12, 6), RetentionSweepService.ServiceActor, "bench", cancellationToken).ConfigureAwait(false);
            clock.Stop();
            var peak = sampler.Peak;
            PrintRequests("sweep", requests.TakeAndReset());
            emulator.Refresh();

            // Where the wall time goes: Azurite's CPU (its in-memory store) against this process's (the sweep itself).
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"cpu during the sweep: Azurite {(emulator.TotalProcessorTime - emulatorCpuBefore).TotalSeconds:F1} s, sweep process {(Process.GetCurrentProcess().TotalProcessorTime - ownCpuBefore).TotalSeconds:F1} s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"sweep: {clock.Elapsed.TotalSeconds:F1} s for {entries} entries ({entries / clock.Elapsed.TotalSeconds:F0} entries/s); expired {result.InstancesExpired}, deleted {result.InstancesDeleted}, studies shredded {result.StudiesShredded}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"working set before {before / 1048576.0:F0} MiB, peak during the sweep {peak / 1048576.0:F0} MiB (bound {PeakBoundBytes >> 20} MiB: {(peak < PeakBoundBytes ? "met" : "missed")}); managed heap after {GC.GetTotalMemory(false) / 1048576.0:F0} MiB"));
            var correct = result.InstancesDeleted == expired && result.StudiesShredded == shreddable;
            if (!correct)
            {
                Console.Error.WriteLine($"unexpected result: deleted {result.InstancesDeleted} of {expired}, shredded {result.StudiesShredded} of {shreddable}");
            }

            return correct && peak < PeakBoundBytes ? 0 : 1;
        }
        finally
        {
            TestArchiveSettings.DeleteDirectory(keys);
        }
    }

    private static void PrintRequests(string phase, IReadOnlyList<KeyValuePair<string, long>> counts)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{phase}: {counts.Sum(p => p.Value)} storage requests"));
        foreach (var (operation, count) in counts)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {count,8} {operation}"));
        }
    }

    /// <summary>Studies in blocks of four: two wholly expired, one partly, one within retention.</summary>
    private static async Task<(long Expired, long Shreddable)> SeedAsync(IServiceProvider provider, int entries, int studySize, CancellationToken cancellationToken)
    {
        var archive = provider.GetRequiredService<CloudArchive.Azure.Storage.StorageConnection>().Blobs.GetBlobContainerClient(provider.GetRequiredService<CloudArchiveSettings>().Containers.Archive);
        var keyring = provider.GetRequiredService<Keyring>();
        var studies = entries / studySize;
        long expired = 0, shreddable = 0;
        var plan = new List<(int Study, int Kind)>();
        for (var s = 0; s < studies; s++)
        {
            var kind = s % 4;
            plan.Add((s, kind));
            expired += kind switch { 0 or 1 => studySize, 2 => studySize / 2, _ => 0 };
            shreddable += kind is 0 or 1 ? 1 : 0;
        }

        await Parallel.ForEachAsync(plan, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (item, token) =>
        {
            var study = NewKey();
            var patient = NewKey();
            using (await keyring.GetOrCreateStudyKeyAsync(study, token).ConfigureAwait(false))
            {
            }

            for (var i = 0; i < studySize; i++)
            {
                var past = item.Kind is 0 or 1 || (item.Kind == 2 && i < studySize / 2);

                // Put Blob carries the tags in the same request, so one request per entry.
                await archive.GetBlobClient(ArchiveNames.Instance(study, NewKey())).UploadAsync(BinaryData.FromString("x"), new BlobUploadOptions
                {
                    Tags = new Dictionary<string, string>
                    {
                        [ArchiveMetadata.StudyTag] = study,
                        [ArchiveMetadata.PatientTag] = patient,
                        [ArchiveMetadata.RetainUntilTag] = past ? "2025-06-30" : "2031-06-30",
                        [ArchiveMetadata.HoldTag] = "0",
                    },
                }, token).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
        return (expired, shreddable);
    }

    private static string NewKey() => string.Create(26, 0, (span, _) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = Base32[RandomNumberGenerator.GetInt32(32)];
        }
    });
}
