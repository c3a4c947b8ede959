using System.Net.Http.Headers;
using CloudArchive.Azure.Audit;
using CloudArchive.Azure.Identity;
using CloudArchive.Core.Archive;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Identity;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Keys;
using CloudArchive.Dicom;
using CloudArchive.Functions.Tests.EndToEnd;
using CloudArchive.Testing.Azurite;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CloudArchive.Functions.Tests.DicomWeb.Clinical;

/// <summary>
/// One archive for the clinical DICOMweb tests, built through the real ingest (Azurite, local KEK, the local host with
/// its HTTP functions): study A (two series of MR_small copies, one patient, one accession), study B (a 10-frame native
/// Enhanced MR and a 30-frame JPEG Baseline ultrasound), a shredded study S, and an instance of several encryption
/// regions (generated multi-frame) for the ranged-read tests. Every archive read goes through <see cref="CountingArchiveStore"/>.
/// </summary>
public sealed class ClinicalDicomWebFixture : IAsyncLifetime
{
    public const string PatientA = "CLIN-PAT-A";
    public const string PatientB = "CLIN-PAT-B";
    public const string AccessionA = "ACC-A-0001";

    private readonly AzuriteFixture _azurite = new();
    private IngestApp? _app;

    public string StudyA { get; } = SampleInstances.NewUid();
    public string SeriesA1 { get; } = SampleInstances.NewUid();
    public string SeriesA2 { get; } = SampleInstances.NewUid();
    public List<string> InstancesA1 { get; } = [SampleInstances.NewUid(), SampleInstances.NewUid()];
    public string InstanceA2 { get; } = SampleInstances.NewUid();
    public string StudyB { get; } = SampleInstances.NewUid();
    public string SeriesNative { get; } = SampleInstances.NewUid();
    public string InstanceNative { get; } = SampleInstances.NewUid();
    public string SeriesJpeg { get; } = SampleInstances.NewUid();
    public string InstanceJpeg { get; } = SampleInstances.NewUid();
    public string SeriesLarge { get; } = SampleInstances.NewUid();
    public string InstanceLarge { get; } = SampleInstances.NewUid();
    public string StudyShredded { get; } = SampleInstances.NewUid();
    public string SeriesShredded { get; } = SampleInstances.NewUid();
    public string InstanceShredded { get; } = SampleInstances.NewUid();

    /// <summary>The bytes uploaded for each SOP Instance UID.</summary>
    public Dictionary<string, byte[]> Uploaded { get; } = new(StringComparer.Ordinal);

    /// <summary>Rows × columns × 2 bytes per frame of the large generated instance; it has <see cref="LargeFrames"/> frames.</summary>
    public const int LargeRows = 512;
    public const int LargeColumns = 512;
    public const int LargeFrames = 40;

    internal IngestApp App => _app ?? throw new InvalidOperationException("Not initialised.");

    public CountingArchiveStore Counting => App.Services.GetRequiredService<CountingArchiveStore>();

    public async ValueTask InitializeAsync()
    {
        await _azurite.InitializeAsync();
        _app = await IngestApp.StartAsync(_azurite, (services, containers) =>
            services.AddSingleton(sp => new CountingArchiveStore(new Azure.Ingest.BlobArchiveStore(
                _azurite.Connection.Blobs.GetBlobContainerClient(containers.Archive), _azurite.Connection.Options)))
                .AddSingleton<IArchiveStore>(sp => sp.GetRequiredService<CountingArchiveStore>()));
        foreach (var role in new[] { "Incoming", "Archive", "Quarantine", "Keyring", "Audit", "Control", "Research" })
        {
            await App.Container(role).CreateIfNotExistsAsync(cancellationToken: Ct);
        }

        await IngestAsync("MR_small.dcm", StudyA, SeriesA1, InstancesA1[0], PatientA, AccessionA, "20240105");
        await IngestAsync("MR_small.dcm", StudyA, SeriesA1, InstancesA1[1], PatientA, AccessionA, "20240105");
        await IngestAsync("CT_small.dcm", StudyA, SeriesA2, InstanceA2, PatientA, AccessionA, "20240105");
        await IngestAsync("emri_small.dcm", StudyB, SeriesNative, InstanceNative, PatientB, "ACC-B-0002", "20230611");
        await IngestAsync("examples_ybr_color.dcm", StudyB, SeriesJpeg, InstanceJpeg, PatientB, "ACC-B-0002", "20230611");
        await IngestAsync(Large(), StudyB, SeriesLarge, InstanceLarge, PatientB, "ACC-B-0002", "20230611");
        await IngestAsync("MR_small.dcm", StudyShredded, SeriesShredded, InstanceShredded, PatientA, "ACC-S-0003", "20220101");
        var keyring = App.Services.GetRequiredService<Keyring>();
        using (var namer = await keyring.GetIndexKeyNamerAsync(Ct))
        {
            await keyring.ShredStudyAsync(new ShredRequest(namer.NameFor(StudyShredded), "cli:test", "test"), Ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await _azurite.DisposeAsync();
    }

    /// <summary>
    /// A client for the app whose requests carry a development token for <paramref name="roles"/> as
    /// <paramref name="objectId"/> (no roles: no token) and the purpose header (null: none).
    /// </summary>
    public HttpClient Client(string objectId, string? purpose, params string[] roles)
    {
        var client = new HttpClient { BaseAddress = App.Address, Timeout = TimeSpan.FromSeconds(120) };
        if (roles.Length > 0)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(objectId, roles));
        }

        if (purpose is not null)
        {
            client.DefaultRequestHeaders.Add("X-Purpose-Of-Use", purpose);
        }

        return client;
    }

    /// <summary>A clinician's client (Archive.Read, purpose TREAT) as a fresh principal.</summary>
    public HttpClient Clinician() => Client(Guid.NewGuid().ToString("D"), "TREAT", ArchiveRoles.ArchiveRead);

    public string Token(string objectId, params string[] roles) =>
        App.Services.GetRequiredService<DevelopmentTokenIssuer>().Mint(new DevelopmentTokenRequest
        {
            Issuer = DevelopmentTokenIssuer.IssuerUri(App.Address),
            ObjectId = objectId,
            Roles = roles,
            Groups = [],
        });

    /// <summary>The audit lines written for <paramref name="objectId"/>.</summary>
    public async Task<List<AuditRecord>> AuditOfAsync(string objectId)
    {
        var query = new AuditLogQuery(new BlobAuditLogStore(App.Audit));
        var records = new List<AuditRecord>();
        await foreach (var entry in query.QueryAsync(new AuditQueryFilter { Actor = objectId }, Ct))
        {
            records.Add(entry.Record);
        }

        return records;
    }

    /// <summary>The opaque key ingest gave a UID.</summary>
    public async Task<string> KeyAsync(string uid)
    {
        using var namer = await App.Services.GetRequiredService<Keyring>().GetIndexKeyNamerAsync(Ct);
        return namer.NameFor(uid);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DicomDataset Large()
    {
        var ds = Testing.GeneratedMultiFrame.Create(LargeRows, LargeColumns, LargeFrames, (long)LargeRows * LargeColumns * 2 * LargeFrames);
        ds.SetString(new DicomTag(0x0008, 0x0060), "OT");
        return ds;
    }

    private Task IngestAsync(string sample, string study, string series, string sop, string patient, string accession, string studyDate) =>
        IngestAsync(DicomFile.OpenAsync(SampleInstances.SamplePath(sample), cancellationToken: Ct), study, series, sop, patient, accession, studyDate);

    private Task IngestAsync(DicomDataset dataset, string study, string series, string sop, string patient, string accession, string studyDate) =>
        IngestAsync(Task.FromResult(new DicomFile(dataset, TransferSyntax.ExplicitVRLittleEndian)), study, series, sop, patient, accession, studyDate);

    private async Task IngestAsync(Task<DicomFile> open, string study, string series, string sop, string patient, string accession, string studyDate)
    {
        await using var file = await open;
        var ds = file.Dataset;
        ds.SetString(new DicomTag(0x0020, 0x000D), study);
        ds.SetString(new DicomTag(0x0020, 0x000E), series);
        ds.SetString(DicomTags.SOPInstanceUID, sop);
        ds.SetString(new DicomTag(0x0010, 0x0010), "CLINICAL^TEST^" + patient);
        ds.SetString(new DicomTag(0x0010, 0x0020), patient);
        ds.Remove(new DicomTag(0x0010, 0x0021));
        ds.SetString(new DicomTag(0x0010, 0x0030), "19700101");
        ds.SetString(new DicomTag(0x0008, 0x0050), accession);
        ds.SetString(new DicomTag(0x0008, 0x0020), studyDate);
        file.FileMetaInformation.SetString(new DicomTag(0x0002, 0x0003), sop);
        if (!file.FileMetaInformation.Contains(new DicomTag(0x0002, 0x0010)))
        {
            file.FileMetaInformation.SetString(new DicomTag(0x0002, 0x0002), ds.GetString(DicomTags.SOPClassUID)!);
            file.FileMetaInformation.SetString(new DicomTag(0x0002, 0x0010), file.TransferSyntax.Uid);
        }

        using var output = new MemoryStream();
        await file.WriteAsync(output, cancellationToken: Ct);
        var bytes = output.ToArray();
        Uploaded[sop] = bytes;
        var name = "upload-" + Guid.NewGuid().ToString("N") + ".dcm";
        await App.UploadAsync(name, bytes);
        var handled = await App.DeliverAsync(name);
        Assert.True(handled.Outcome == IngestOutcome.Archived, $"{sop}: {handled.Outcome} {handled.ReasonCode}");
    }
}
