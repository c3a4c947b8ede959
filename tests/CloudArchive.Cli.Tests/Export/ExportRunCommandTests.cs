using System.Text.Json;
using CloudArchive.Azure.Audit;
using CloudArchive.Azure.Ingest;
using CloudArchive.Azure.Keys;
using CloudArchive.Azure.Research;
using CloudArchive.Cli.Tests.Operations;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Crypto;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Keys;
using CloudArchive.Core.Policies;
using CloudArchive.Dicom;
using CloudArchive.Research.Agreements;
using CloudArchive.Research.Consent;
using CloudArchive.Testing;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Cli.Tests.Export;

/// <summary>
/// <c>export run</c> against Azurite: a sample ingested through the real IngestService with the same local KEK and
/// containers the CLI is configured with, an agreement and consent in <c>control</c>.
/// </summary>
public sealed class ExportRunCommandTests : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly AzuriteFixture _azurite;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ca-export-cli-" + Guid.NewGuid().ToString("N"));
    private readonly string _settings;
    private readonly Dictionary<string, string> _containers = new()
    {
        ["Incoming"] = AzuriteFixture.UniqueName("in"),
        ["Archive"] = AzuriteFixture.UniqueName("ar"),
        ["Quarantine"] = AzuriteFixture.UniqueName("qu"),
        ["Keyring"] = AzuriteFixture.UniqueName("kr"),
        ["Audit"] = AzuriteFixture.UniqueName("au"),
        ["Control"] = AzuriteFixture.UniqueName("co"),
        ["Research"] = AzuriteFixture.UniqueName("re"),
    };

    private readonly string _queue = AzuriteFixture.UniqueName("exq");

    public ExportRunCommandTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        Directory.CreateDirectory(Path.Combine(_dir, "kek"));
        _settings = Path.Combine(_dir, "settings.env");
        File.WriteAllLines(_settings,
        [
            "CloudArchive__Storage__ConnectionString=" + azurite.ConnectionString,
            "CloudArchive__Keys__Provider=Local",
            "CloudArchive__Keys__LocalKeyFile=" + Path.Combine(_dir, "kek"),
            "CloudArchive__Queues__ExportRequests=" + _queue,
            .. _containers.Select(c => $"CloudArchive__Containers__{c.Key}={c.Value}"),
        ]);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Export_run_exports_in_process_prints_the_summary_and_a_rerun_skips_unchanged()
    {
        await IngestSampleAsync("PLANTEDIDCLI");
        await CreateAgreementAsync("cli-cohort", DateTimeOffset.UtcNow.AddDays(30));

        var first = await OperationsCli.RunAsync("export", "run", "--agreement", "cli-cohort", "--settings", _settings);
        var second = await OperationsCli.RunAsync("export", "run", "--agreement", "cli-cohort", "--settings", _settings);
        var third = await OperationsCli.RunAsync("export", "run", "--agreement", "cli-cohort", "--json", "--settings", _settings);

        Assert.True(first.ExitCode == 0, first.Error + first.Output);
        Assert.Matches(@"Exported \(written this run\)\s*│\s*1", first.Output);
        Assert.Contains("Output: 1 studies, 1 series, 1 instances", first.Output, StringComparison.Ordinal);
        Assert.Equal(0, second.ExitCode);
        Assert.Matches(@"Skipped \(unchanged\)\s*│\s*1", second.Output);
        Assert.True(third.ExitCode == 0, third.Error + third.Output);
        var summary = System.Text.Json.JsonDocument.Parse(third.Output).RootElement;
        Assert.Equal("cli-cohort", summary.GetProperty("agreement").GetString());
        Assert.Equal(1, summary.GetProperty("studiesUnchanged").GetInt32());
        Assert.Equal(1, summary.GetProperty("output").GetProperty("instances").GetInt64());
        Assert.DoesNotContain("PLANTED", first.Output + second.Output, StringComparison.Ordinal);
        var research = new List<string>();
        await foreach (var item in _azurite.Connection.Blobs.GetBlobContainerClient(_containers["Research"]).GetBlobsAsync(cancellationToken: Ct))
        {
            research.Add(item.Name);
        }

        Assert.Equal(2, research.Count); // one instance and the manifest
    }

    [Fact]
    public async Task An_expired_agreement_exits_4_and_a_malformed_id_exits_2()
    {
        await CreateContainersAsync();
        await CreateAgreementAsync("old-cohort", DateTimeOffset.UtcNow.AddDays(-1));

        var expired = await OperationsCli.RunAsync("export", "run", "--agreement", "old-cohort", "--settings", _settings);
        var malformed = await OperationsCli.RunAsync("export", "run", "--agreement", "Old Cohort", "--settings", _settings);

        Assert.True(expired.ExitCode == 4, expired.Error);
        Assert.Contains("agreement-expired", expired.Error, StringComparison.Ordinal);
        Assert.Equal(2, malformed.ExitCode);
    }

    [Fact]
    public async Task Queue_enqueues_an_export_request_for_the_function_app()
    {
        var result = await OperationsCli.RunAsync("export", "run", "--agreement", "cli-cohort", "--queue", "--settings", _settings);

        Assert.True(result.ExitCode == 0, result.Error);
        var message = Assert.Single((await _azurite.Connection.Queues.GetQueueClient(_queue).PeekMessagesAsync(32, Ct)).Value);
        using var json = JsonDocument.Parse(message.Body.ToString());
        Assert.Equal("cli-cohort", json.RootElement.GetProperty("agreementId").GetString());
        Assert.Equal("cli:cloudarchive", json.RootElement.GetProperty("requestedBy").GetString());
    }

    private async Task CreateAgreementAsync(string id, DateTimeOffset validUntil)
    {
        var control = _azurite.Connection.Blobs.GetBlobContainerClient(_containers["Control"]);
        await control.CreateIfNotExistsAsync(cancellationToken: Ct);
        Assert.True(await new BlobAgreementStore(control).TryCreateAsync(
            new DataSharingAgreement
            {
                Id = id,
                PurposeOfUse = "HRESCH",
                Recipients = ["6f1c7c8e-0d5b-4a39-9a43-1b8a7f0d2c11"],
                ValidFrom = DateTimeOffset.UtcNow.AddDays(-10),
                ValidUntil = validUntil,
                CopyRetention = "P1Y",
                CreatedAt = DateTimeOffset.UtcNow.AddDays(-10),
                CreatedBy = "cli:cloudarchive",
            },
            Ct));
    }

    private async Task CreateContainersAsync()
    {
        foreach (var name in _containers.Values)
        {
            await _azurite.Connection.Blobs.GetBlobContainerClient(name).CreateIfNotExistsAsync(cancellationToken: Ct);
        }
    }

    private async Task IngestSampleAsync(string patientId)
    {
        var connection = _azurite.Connection;
        await CreateContainersAsync();

        var root = RepositoryPaths.FindRoot();
        using var kek = new LocalKeyEncryptionKeyProvider(new LocalKeyEncryptionKeyOptions { KeyPath = Path.Combine(_dir, "kek") });
        using var audit = new AuditLogWriter(new BlobAuditLogStore(connection.Blobs.GetBlobContainerClient(_containers["Audit"])), "export-cli-test", TimeProvider.System);
        var archive = connection.Blobs.GetBlobContainerClient(_containers["Archive"]);
        using var keyring = new Keyring(
            new BlobKeyringStore(connection, new BlobKeyringStoreOptions { ContainerName = _containers["Keyring"] }),
            kek,
            new TagLegalHoldQuery(archive),
            new AuditLogKeyAuditSink(audit, new AuditActor("svc:test")));
        var policies = await IngestPolicies.LoadAsync([Path.Combine(root, "data/policies/retention/default.json")], Path.Combine(root, "data/policies/minimization/default.json"), Ct);
        using var ingest = new IngestService(new BlobIncomingStore(connection.Blobs, connection.Options), new BlobArchiveStore(archive, connection.Options), new BlobQuarantineStore(connection.Blobs.GetBlobContainerClient(_containers["Quarantine"]), connection.Options), keyring, policies, audit);

        await using var file = await DicomFile.OpenAsync(Path.Combine(root, "testdata", "dicom", "CT_small.dcm"), cancellationToken: Ct);
        file.Dataset.SetString(new DicomTag(0x0010, 0x0020), patientId);
        file.Dataset.SetString(new DicomTag(0x0010, 0x0010), "PLANTED^CLI");
        var content = new MemoryStream();
        await file.WriteAsync(content, cancellationToken: Ct);
        content.Position = 0;
        await connection.Blobs.GetBlobContainerClient(_containers["Incoming"]).GetBlobClient("gw/ct.dcm").UploadAsync(content, Ct);
        var result = await ingest.IngestAsync(new IngestRequest { Container = _containers["Incoming"], BlobName = "gw/ct.dcm", EventId = Guid.NewGuid().ToString(), CorrelationId = "cli-test" }, Ct);
        Assert.Equal(IngestOutcome.Archived, result.Outcome);

        using var namer = await keyring.GetIndexKeyNamerAsync(Ct);
        await new BlobConsentRegistry(connection.Blobs.GetBlobContainerClient(_containers["Control"])).PutAsync(
            new ConsentRecord { PatientPseudonym = PatientPseudonymizer.Pseudonym(namer, patientId, null)!, Status = ConsentStatus.Active, Purposes = ["HRESCH"], Source = "cli", RecordedAt = DateTimeOffset.UtcNow, RecordedBy = "cli:cloudarchive" },
            Ct);
    }
}
