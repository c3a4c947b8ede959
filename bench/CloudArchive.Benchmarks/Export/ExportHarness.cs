using System.Globalization;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CloudArchive.Azure.Composition;
using CloudArchive.Benchmarks.Ingest;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Keys;
using CloudArchive.Dicom;
using CloudArchive.Research.Agreements;
using CloudArchive.Research.Consent;
using CloudArchive.Research.Export;
using CloudArchive.Testing.Azurite;
using Microsoft.Extensions.DependencyInjection;

namespace CloudArchive.Benchmarks.Export;

/// <summary>
/// Research export throughput next to the ingest of the same study, on a private in-memory Azurite, with the services
/// composed from configuration by the function app's composition root (<see cref="CloudArchiveServiceCollectionExtensions.AddCloudArchive"/>). A study of copies of <c>CT_small.dcm</c> (one series, pixel data
/// unchanged, one Patient ID) is uploaded and ingested (measured), an agreement is created with the real
/// <see cref="AgreementService"/> (purpose HRESCH, Basic Profile + Retain Longitudinal Temporal Information with Modified
/// Dates, selection CT on the study's date) and the patient's consent recorded; then <see cref="ResearchExporter"/> runs
/// twice (both measured): the first run writes every instance, the second finds nothing changed. Before anything is
/// measured, a small warm-up study (another patient and date, outside the measured agreement's selection) is ingested and
/// exported under its own agreement, so both paths run tier-1 code as in the long-running function app.
/// Fails unless the first run wrote every instance (manifest and research container agree) and the second wrote none.
/// <c>dotnet run -c Release --project bench/CloudArchive.Benchmarks -- harness export [--instances N] [--parallelism N] [--trace]</c>
/// (<c>--parallelism</c>: the exporter's <c>CloudArchive:Export:MaxParallelism</c>, default 4 like the ingest's;
/// <c>--trace</c> counts the storage requests of each phase).
/// </summary>
public sealed class ExportHarness : IHarness
{
    private const int IngestParallelism = 4;
    private const int WarmUpInstances = 20;
    private const string PatientId = "BENCHEXPORT1";
    private const string WarmUpPatientId = "BENCHWARMUP1";
    private const string AgreementId = "bench-export";
    private const string WarmUpAgreementId = "bench-export-warmup";
    private const string Actor = "cli:bench";

    // CT_small.dcm's own study date; the warm-up study gets another one so the measured agreement does not select it.
    private static readonly DateOnly StudyDate = new(2004, 1, 19);
    private static readonly DateOnly WarmUpStudyDate = new(2000, 1, 1);
    private static readonly DicomTag StudyUidTag = new(0x0020, 0x000D);

    /// <inheritdoc />
    public string Name => "export";

    /// <inheritdoc />
    public string Description => "ingest a 500-instance study, then export it as research copies (and re-run: unchanged) on Azurite";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var instances = 500;
        var parallelism = 4;
        var trace = args.Contains("--trace");
        for (var i = 0; i + 1 < args.Length; i++)
        {
            switch (args[i])
            {
                case "--instances": instances = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--parallelism": parallelism = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default: break;
            }
        }

        if (instances < 1 || parallelism is < 1 or > 64)
        {
            Console.Error.WriteLine("--instances must be at least 1 and --parallelism from 1 to 64");
            return 2;
        }

        var work = Directory.CreateTempSubdirectory("cloudarchive-export-bench-");
        try
        {
            await using var azurite = await AzuriteProcess.StartAsync(cancellationToken).ConfigureAwait(false);
            var counter = trace ? new RequestCounter() : null;
            await using var app = await IngestBenchApp.CreateAsync(azurite, work.FullName, counter, readChunkBytes: null, withoutMd5: false, cancellationToken, exportParallelism: parallelism).ConfigureAwait(false);
            var measurer = new Measurer(azurite.ProcessId, counter);
            var exporter = app.Services.GetRequiredService<ResearchExporter>();
            Console.WriteLine($"export benchmark: Azurite (in memory) on loopback, {Environment.ProcessorCount} logical CPUs, ingest parallelism {IngestParallelism}, export parallelism {parallelism}, {instances}-instance study");

            var failures = new List<string>();
            await WarmUpAsync(app, exporter, failures, cancellationToken).ConfigureAwait(false);

            var files = await BenchInstances.StudyAsync(instances, cancellationToken, PatientId).ConfigureAwait(false);
            var uploadBytes = files.Sum(f => (long)f.Length);
            var studyKey = await StudyKeyAsync(app, files[0], cancellationToken).ConfigureAwait(false);
            var names = Enumerable.Range(0, files.Count).Select(i => $"study/{i:D4}.dcm").ToArray();
            await app.UploadAsync(names, files, IngestParallelism, cancellationToken).ConfigureAwait(false);
            files.Clear();
            Console.WriteLine($"uploaded {instances} instances, {uploadBytes / 1e6:0.0} MB");

            var ingest = await measurer.MeasureAsync("ingest", () => app.IngestAllAsync(names, IngestParallelism, failures, cancellationToken)).ConfigureAwait(false);
            var (archived, archiveBytes) = await CountAsync(app.Archive, $"studies/{studyKey}/", cancellationToken).ConfigureAwait(false);
            if (archived != instances)
            {
                failures.Add($"the archive holds {archived} instances of the study, not {instances}");
            }

            await AuthorizeAsync(app, AgreementId, StudyDate, PatientId, cancellationToken).ConfigureAwait(false);
            var request = new ResearchExportRequest { AgreementId = AgreementId, RequestedBy = Actor, CorrelationId = Guid.NewGuid().ToString() };

            ResearchExportResult? first = null;
            var export = await measurer.MeasureAsync("export", async () => first = await exporter.ExportAsync(request, null, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            Report("export", first!);
            var research = app.Connection.Blobs.GetBlobContainerClient(app.Containers.Research);
            var (copies, copyBytes) = await CountAsync(research, AgreementId + "/studies/", cancellationToken).ConfigureAwait(false);
            Check(first!, instances, written: true, copies, copyBytes, failures);

            ResearchExportResult? second = null;
            var rerun = await measurer.MeasureAsync("export again (nothing changed)", async () => second = await exporter.ExportAsync(request with { CorrelationId = Guid.NewGuid().ToString() }, null, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            Report("export again", second!);
            (copies, copyBytes) = await CountAsync(research, AgreementId + "/studies/", cancellationToken).ConfigureAwait(false);
            Check(second!, instances, written: false, copies, copyBytes, failures);

            var rows = new List<PhaseResult>
            {
                new($"ingest ({IngestParallelism} at a time)", instances, uploadBytes, archiveBytes, ingest),
                new($"export ({parallelism} at a time)", first!.Manifest.Run.InstancesWritten, archiveBytes, first.Manifest.Run.BytesWritten, export),
                new("export again (unchanged)", instances, 0, second!.Manifest.Run.BytesWritten, rerun),
            };
            Print(rows, export.Seconds / ingest.Seconds);
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
    /// Ingests a small study of another patient and date and exports it under its own agreement, so the measured phases
    /// run JIT-compiled tier-1 code (reader, crypto, keyring, audit, de-identifier, ledger).
    /// </summary>
    private static async Task WarmUpAsync(IngestBenchApp app, ResearchExporter exporter, List<string> failures, CancellationToken cancellationToken)
    {
        var files = await BenchInstances.StudyAsync(WarmUpInstances, cancellationToken, WarmUpPatientId, WarmUpStudyDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture)).ConfigureAwait(false);
        var names = Enumerable.Range(0, files.Count).Select(i => $"warmup/{i:D4}.dcm").ToArray();
        await app.UploadAsync(names, files, IngestParallelism, cancellationToken).ConfigureAwait(false);
        await app.IngestAllAsync(names, IngestParallelism, failures, cancellationToken).ConfigureAwait(false);
        await AuthorizeAsync(app, WarmUpAgreementId, WarmUpStudyDate, WarmUpPatientId, cancellationToken).ConfigureAwait(false);
        var result = await exporter.ExportAsync(new ResearchExportRequest { AgreementId = WarmUpAgreementId, RequestedBy = Actor }, null, cancellationToken).ConfigureAwait(false);
        if (result.Manifest.Run.InstancesWritten != WarmUpInstances)
        {
            failures.Add($"the warm-up export wrote {result.Manifest.Run.InstancesWritten} instances, not {WarmUpInstances}");
        }
    }

    /// <summary>
    /// Creates the agreement with the real <see cref="AgreementService"/> (its secret goes to the keyring first) and records
    /// an active HRESCH consent for the patient under the pseudonym ingest derives.
    /// </summary>
    private static async Task AuthorizeAsync(IngestBenchApp app, string agreementId, DateOnly studyDate, string patientId, CancellationToken cancellationToken)
    {
        var services = app.Services;
        var time = services.GetRequiredService<TimeProvider>();
        var keyring = services.GetRequiredService<Keyring>();
        var agreements = new AgreementService(services.GetRequiredService<IAgreementStore>(), keyring, services.GetRequiredService<AuditLogWriter>(), time);
        var now = time.GetUtcNow();
        await agreements.CreateAsync(
            new AgreementDraft
            {
                Id = agreementId,
                Title = "Export benchmark",
                PurposeOfUse = "HRESCH",
                Recipients = [Guid.NewGuid().ToString()],
                ValidFrom = now.AddDays(-1),
                ValidUntil = now.AddYears(1),
                Selection = new AgreementSelection { Modalities = ["CT"], StudyDateFrom = studyDate, StudyDateTo = studyDate },
                Deidentification = new AgreementDeidentification { Options = ["retainLongitudinalModifiedDates"] },
                ConsentRequired = true,
                CopyRetention = "P2Y",
            },
            new AuditActor(Actor, app: "cloudarchive-bench", role: "research-admin"),
            cancellationToken).ConfigureAwait(false);

        string pseudonym;
        using (var namer = await keyring.GetIndexKeyNamerAsync(cancellationToken).ConfigureAwait(false))
        {
            pseudonym = PatientPseudonymizer.Pseudonym(namer, patientId, null)!;
        }

        await services.GetRequiredService<IConsentRegistry>().PutAsync(
            new ConsentRecord
            {
                PatientPseudonym = pseudonym,
                Status = ConsentStatus.Active,
                Purposes = ["HRESCH"],
                Source = "cli",
                RecordedAt = now,
                RecordedBy = Actor,
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The archive's opaque key of the study the instance belongs to.</summary>
    private static async Task<string> StudyKeyAsync(IngestBenchApp app, byte[] instance, CancellationToken cancellationToken)
    {
        string studyUid;
        var file = await DicomFile.ReadAsync(new MemoryStream(instance, writable: false), cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (file.ConfigureAwait(false))
        {
            studyUid = file.Dataset.GetString(StudyUidTag)!.Trim('\0', ' ');
        }

        using var namer = await app.Services.GetRequiredService<Keyring>().GetIndexKeyNamerAsync(cancellationToken).ConfigureAwait(false);
        return namer.NameFor(studyUid);
    }

    private static async Task<(int Count, long Bytes)> CountAsync(BlobContainerClient container, string prefix, CancellationToken cancellationToken)
    {
        var count = 0;
        long bytes = 0;
        await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken).ConfigureAwait(false))
        {
            count++;
            bytes += item.Properties.ContentLength ?? 0;
        }

        return (count, bytes);
    }

    private static void Report(string label, ResearchExportResult result)
    {
        var m = result.Manifest;
        var excluded = string.Join(", ", m.ExcludedByReason.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key} {e.Value}"));
        Console.WriteLine($"  {label}: archive studies {m.ArchiveStudies}; run: studies written {m.Run.StudiesWritten}, unchanged {m.Run.StudiesUnchanged}, removed {m.Run.StudiesRemoved}, instances written {m.Run.InstancesWritten} ({m.Run.BytesWritten / 1e6:0.0} MB); output: {m.Exported.Studies} studies, {m.Exported.Series} series, {m.Exported.Instances} instances; excluded: {(excluded.Length == 0 ? "none" : excluded)}");
    }

    /// <summary>
    /// The measured agreement selects the study alone (the warm-up study is not selected); its output must hold every
    /// instance, as the manifest says and the research container shows.
    /// </summary>
    private static void Check(ResearchExportResult result, int instances, bool written, int copies, long copyBytes, List<string> failures)
    {
        var m = result.Manifest;
        var run = written ? "first" : "second";
        if (written && (m.Run.InstancesWritten != instances || m.Run.StudiesWritten != 1))
        {
            failures.Add($"the first export wrote {m.Run.InstancesWritten} instances in {m.Run.StudiesWritten} studies, not {instances} in 1");
        }

        if (!written && (m.Run.InstancesWritten != 0 || m.Run.StudiesUnchanged != 1 || m.Run.StudiesRemoved != 0))
        {
            failures.Add($"the second export wrote {m.Run.InstancesWritten} instances, {m.Run.StudiesUnchanged} studies unchanged, {m.Run.StudiesRemoved} removed; expected 0, 1, 0");
        }

        if (m.Exported.Studies != 1 || m.Exported.Series != 1 || m.Exported.Instances != instances)
        {
            failures.Add($"after the {run} export the manifest counts {m.Exported.Studies} studies, {m.Exported.Series} series, {m.Exported.Instances} instances; expected 1, 1, {instances}");
        }

        if (copies != instances || copyBytes != m.Exported.Bytes)
        {
            failures.Add($"after the {run} export the research container holds {copies} copies ({copyBytes} bytes); the manifest says {m.Exported.Instances} ({m.Exported.Bytes} bytes)");
        }

        var excluded = m.ExcludedByReason.Values.Sum();
        if (m.ArchiveStudies != 2 || excluded != 1 || m.ExcludedByReason.GetValueOrDefault("not-selected") != 1)
        {
            failures.Add($"after the {run} export the manifest accounts for {m.ArchiveStudies} archive studies with {excluded} excluded; expected 2 with the warm-up study not selected");
        }
    }

    private static void Print(IReadOnlyList<PhaseResult> rows, double ratio)
    {
        const double MiB = 1024 * 1024;
        Console.WriteLine();
        Console.WriteLine($"{"phase",-26} {"s",7} {"inst/s",8} {"MB read",8} {"MB/s read",10} {"MB written",11} {"MB/s written",13} {"peak MiB (start)",17} {"CPU s here/Azurite",19}");
        foreach (var r in rows)
        {
            var m = r.Measurement;
            var peak = $"{m.PeakBytes / MiB:0} ({m.StartBytes / MiB:0})";
            var cpu = $"{m.CpuSeconds:0.00}/{m.AzuriteCpuSeconds:0.00}";
            Console.WriteLine($"{r.Phase,-26} {m.Seconds,7:0.00} {r.InstancesPerSecond,8:0.0} {r.BytesRead / 1e6,8:0.0} {r.ReadMBps,10:0.0} {r.BytesWritten / 1e6,11:0.0} {r.WrittenMBps,13:0.0} {peak,17} {cpu,19}");
        }

        Console.WriteLine();
        Console.WriteLine($"export / ingest wall time: {ratio:0.00}x (ingest: MB read = uploads, MB written = encrypted archive; export: MB read = encrypted archive, MB written = de-identified copies)");
    }
}
