using System.Text;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Crypto;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Keys;
using CloudArchive.Core.Minimization;
using CloudArchive.Core.Policies;
using CloudArchive.Core.Retention;
using CloudArchive.Core.Tests.Audit;
using CloudArchive.Core.Tests.Keys;
using CloudArchive.Core.Tests.Retention;
using CloudArchive.Dicom;

namespace CloudArchive.Core.Tests.Ingest;

/// <summary>An <see cref="IngestService"/> over in-memory fakes, a local test KEK and the shipped default retention policy.</summary>
internal sealed class IngestHarness : IDisposable
{
    public static readonly DicomTag PatientAddress = new(0x0010, 0x1040);
    public static readonly DicomTag PatientId = new(0x0010, 0x0020);
    public static readonly DicomTag PatientName = new(0x0010, 0x0010);
    public static readonly DicomTag StudyUid = new(0x0020, 0x000D);
    public static readonly DicomTag SeriesUid = new(0x0020, 0x000E);

    private readonly TestKek _kek = new();

    public IngestHarness(IngestOptions? options = null)
    {
        Keyring = new Keyring(new InMemoryKeyringStore(), _kek, new FakeLegalHolds(), new RecordingAuditSink());
        var retention = RetentionPolicyLoader.LoadFilesAsync([ShippedPolicies.File("default.json")], CancellationToken.None).GetAwaiter().GetResult();
        var minimization = MinimizationPolicyLoader.Parse(
            """{"schema":"cloudarchive/minimization-policy/v1","name":"Test","rules":[{"id":"address","description":"d","remove":["PatientAddress"]}]}""",
            "test.json");
        Audit = new AuditLogWriter(AuditStore, "ingest-test", TimeProvider.System);
        Service = new IngestService(Storage, Storage, Storage, Keyring, new IngestPolicies(retention, minimization), Audit, options ?? new IngestOptions());
    }

    public InMemoryIngestStorage Storage { get; } = new();

    public InMemoryAuditLogStore AuditStore { get; } = new();

    public AuditLogWriter Audit { get; }

    public Keyring Keyring { get; }

    public IngestService Service { get; }

    public static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public static IngestRequest Request(string name) => new()
    {
        Container = "incoming",
        BlobName = name,
        EventId = Guid.NewGuid().ToString(),
        CorrelationId = Guid.NewGuid().ToString(),
    };

    public Task<IngestResult> IngestAsync(string name) => Service.IngestAsync(Request(name), Ct);

    /// <summary>CT_small with fresh UIDs and planted identifiers; with an address (removed by the test policy) when asked.</summary>
    public static async Task<byte[]> InstanceAsync(string studyUid, string sopUid, bool withAddress = false, string patientId = "PLANTEDID0001")
    {
        await using var file = await DicomFile.OpenAsync(Path.Combine(AppContext.BaseDirectory, "dicom", "CT_small.dcm"), cancellationToken: Ct);
        var ds = file.Dataset;
        ds.SetString(StudyUid, studyUid);
        ds.SetString(SeriesUid, studyUid + ".1");
        ds.SetString(DicomTags.SOPInstanceUID, sopUid);
        ds.SetString(PatientId, patientId);
        ds.SetString(PatientName, "PLANTED^NAME");
        ds.Remove(PatientAddress);
        if (withAddress)
        {
            ds.SetString(PatientAddress, "1 PLANTED STREET");
        }

        var output = new MemoryStream();
        await file.WriteAsync(output, cancellationToken: Ct);
        return output.ToArray();
    }

    public async Task<byte[]> DecryptArchivedAsync(string name)
    {
        var (content, metadata, _) = Storage.Archive[name];
        var decryptor = new EnvelopeDecryptor(Keyring.StudyKeyResolver);
        await using var plain = await decryptor.OpenReadAsync(new MemoryStream(content), metadata, name, content.Length, cancellationToken: Ct);
        var output = new MemoryStream();
        await plain.CopyToAsync(output, Ct);
        return output.ToArray();
    }

    /// <summary>The decrypted copy of a quarantined upload (the only one when <paramref name="id"/> is null).</summary>
    public async Task<byte[]> QuarantinedCopyAsync(string? id = null)
    {
        id ??= Storage.Quarantine.Keys.Single();
        var entry = Storage.Quarantine[id];
        var name = CloudArchive.Core.Ingest.Quarantine.QuarantineNames.Copy(id);
        var decryptor = new EnvelopeDecryptor(Keyring.QuarantineKeyResolver);
        await using var plain = await decryptor.OpenReadAsync(new MemoryStream(entry.Copy!), entry.Metadata!, name, entry.Copy!.Length, cancellationToken: Ct);
        var output = new MemoryStream();
        await plain.CopyToAsync(output, Ct);
        return output.ToArray();
    }

    /// <summary>The reason document of a quarantined upload as text (the only one when <paramref name="id"/> is null).</summary>
    public string QuarantineReasonText(string? id = null) =>
        Encoding.UTF8.GetString(Storage.Quarantine[id ?? Storage.Quarantine.Keys.Single()].Reason!);

    /// <summary>The reason document of a quarantined upload (the only one when <paramref name="id"/> is null).</summary>
    public System.Text.Json.JsonElement QuarantineReason(string? id = null) =>
        System.Text.Json.JsonDocument.Parse(QuarantineReasonText(id)).RootElement;

    public IReadOnlyList<AuditRecord> AuditRecords() =>
        AuditStore.BlobNames
            .SelectMany(name => Encoding.UTF8.GetString(AuditStore.Read(name)).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            .Select(line => AuditLineSerializer.Parse(Encoding.UTF8.GetBytes(line)))
            .ToList();

    public string InstanceBlob() => Storage.Archive.Keys.Single(k => k.StartsWith("studies/", StringComparison.Ordinal));

    public void Dispose()
    {
        Service.Dispose();
        Keyring.Dispose();
        Audit.Dispose();
        _kek.Dispose();
    }
}
