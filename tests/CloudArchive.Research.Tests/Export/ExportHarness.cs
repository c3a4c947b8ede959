using System.Text;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Keys;
using CloudArchive.Core.Tests.Audit;
using CloudArchive.Core.Tests.Ingest;
using CloudArchive.Dicom;
using CloudArchive.Research.Agreements;
using CloudArchive.Research.Consent;
using CloudArchive.Research.Export;

namespace CloudArchive.Research.Tests.Export;

/// <summary>
/// Real ingest (<see cref="IngestHarness"/>: IngestService, keyring, envelope encryption, in-memory archive) followed by
/// the real exporter over in-memory control and research stores, with a manual clock.
/// </summary>
internal sealed class ExportHarness : IDisposable
{
    public const string AgreementId = "lung-study-1";
    public const string Recipient = "4f1c2a9e-1111-4a7e-9e55-0c2b7d1e0001";
    public static readonly DicomTag Modality = new(0x0008, 0x0060);
    public static readonly DicomTag BurnedInAnnotation = new(0x0028, 0x0301);

    public ExportHarness(Core.Ingest.IngestOptions? ingestOptions = null)
    {
        Ingest = new IngestHarness(ingestOptions);
        Time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        Catalog = new InMemoryArchiveCatalog(Ingest.Storage);
    }

    public IngestHarness Ingest { get; }

    public ManualTimeProvider Time { get; }

    public InMemoryAgreementStore Agreements { get; } = new();

    public InMemoryConsentRegistry Consents { get; } = new();

    public InMemoryResearchStore Research { get; } = new();

    public InMemoryExportLedger Ledger { get; } = new();

    public InMemoryArchiveCatalog Catalog { get; }

    public static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public ResearchExporter Exporter(int parallelism = 2) =>
        new(Agreements, Consents, Catalog, Ingest.Storage, Ingest.Keyring, Research, Ledger, Ingest.Audit, new ResearchExportOptions { MaxParallelism = parallelism }, Time);

    public Task<ResearchExportResult> ExportAsync(string agreementId = AgreementId) =>
        Exporter().ExportAsync(new ResearchExportRequest { AgreementId = agreementId, RequestedBy = "cli:test", CorrelationId = "run-1" }, null, Ct);

    public DataSharingAgreement Agreement(AgreementSelection? selection = null, bool consentRequired = true) => new()
    {
        Id = AgreementId,
        PurposeOfUse = "HRESCH",
        Recipients = [Recipient],
        ValidFrom = Time.GetUtcNow().AddDays(-1),
        ValidUntil = Time.GetUtcNow().AddDays(30),
        Selection = selection ?? new AgreementSelection(),
        ConsentRequired = consentRequired,
        CopyRetention = "P2Y",
        CreatedAt = Time.GetUtcNow().AddDays(-1),
        CreatedBy = "cli:test",
    };

    /// <summary>Ingests one CT_small copy for the patient and returns nothing; fails the test unless archived.</summary>
    public async Task IngestAsync(string studyUid, string sopUid, string patientId, string modality = "CT", bool burnedIn = false) =>
        await IngestAsync(await InstanceAsync(studyUid, sopUid, patientId, modality, burnedIn));

    /// <summary>Ingests an upload of these bytes; fails the test unless archived.</summary>
    public async Task IngestAsync(byte[] upload)
    {
        var name = "gw/" + Guid.NewGuid().ToString("N") + ".dcm";
        Ingest.Storage.Upload(name, upload);
        var result = await Ingest.IngestAsync(name);
        Xunit.Assert.Equal(Core.Ingest.IngestOutcome.Archived, result.Outcome);
    }

    /// <summary>A CT_small copy for the patient, as written by the DICOM writer; <paramref name="edit"/> changes it further.</summary>
    public static async Task<byte[]> InstanceAsync(string studyUid, string sopUid, string patientId, string modality = "CT", bool burnedIn = false, Action<DicomDataset>? edit = null)
    {
        await using var file = await DicomFile.OpenAsync(Path.Combine(AppContext.BaseDirectory, "dicom", "CT_small.dcm"), cancellationToken: Ct);
        var ds = file.Dataset;
        ds.SetString(IngestHarness.StudyUid, studyUid);
        ds.SetString(IngestHarness.SeriesUid, studyUid + ".1");
        ds.SetString(DicomTags.SOPInstanceUID, sopUid);
        ds.SetString(IngestHarness.PatientId, patientId);
        ds.SetString(IngestHarness.PatientName, "PLANTED^NAME^" + patientId);
        ds.SetString(Modality, modality);
        if (burnedIn)
        {
            ds.SetString(BurnedInAnnotation, "YES");
        }

        edit?.Invoke(ds);
        var output = new MemoryStream();
        await file.WriteAsync(output, cancellationToken: Ct);
        return output.ToArray();
    }

    public async Task<string> PseudonymAsync(string patientId)
    {
        using var namer = await Ingest.Keyring.GetIndexKeyNamerAsync(Ct);
        return PatientPseudonymizer.Pseudonym(namer, patientId, null)!;
    }

    public async Task<string> StudyKeyAsync(string studyUid)
    {
        using var namer = await Ingest.Keyring.GetIndexKeyNamerAsync(Ct);
        return namer.NameFor(studyUid);
    }

    public async Task ConsentAsync(string patientId, ConsentStatus status = ConsentStatus.Active) =>
        await Consents.PutAsync(
            new ConsentRecord
            {
                PatientPseudonym = await PseudonymAsync(patientId),
                Status = status,
                Purposes = ["HRESCH"],
                Source = "cli",
                RecordedAt = Time.GetUtcNow(),
                RecordedBy = "cli:test",
            },
            Ct);

    public List<AuditEvent> AuditEvents(AuditEventType type) =>
        Ingest.AuditRecords().Select(r => r.Event).Where(e => e.EventType == type).ToList();

    public ExportManifest AdminManifest() => ExportManifest.Parse(Ledger.Blobs[ExportNames.AdminManifest(AgreementId)]);

    public ExportManifest ResearchManifest() => ExportManifest.Parse(Research.Blobs[global::CloudArchive.Research.Publication.ResearchNames.Manifest(AgreementId)].Content);

    public static bool Contains(byte[] haystack, string needle) => haystack.AsSpan().IndexOf(Encoding.ASCII.GetBytes(needle)) >= 0;

    public void Dispose() => Ingest.Dispose();
}
