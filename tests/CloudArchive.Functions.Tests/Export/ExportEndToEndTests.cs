using System.Text;
using CloudArchive.Core.Audit;
using CloudArchive.Functions.Middleware;
using CloudArchive.Functions.Tests.EndToEnd;
using CloudArchive.Research.Agreements;
using CloudArchive.Research.Consent;
using CloudArchive.Research.Export;
using CloudArchive.Research.Publication;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Functions.Tests.Export;

/// <summary>
/// ExportResearchCopies end to end on Azurite: real samples ingested through IngestInstance (real IngestService),
/// agreement and consents written through the real blob stores, the export run by the ExportResearchCopies function
/// class as the local host composes it (and once through the invocation middleware, as a queue delivery).
/// </summary>
public sealed class ExportEndToEndTests : IClassFixture<AzuriteFixture>
{
    private const string AgreementId = "lung-cohort-1";
    private readonly AzuriteFixture _azurite;

    public ExportEndToEndTests(AzuriteFixture azurite) => _azurite = azurite;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DataSharingAgreement Agreement(string id, DateTimeOffset from, DateTimeOffset until) => new()
    {
        Id = id,
        PurposeOfUse = "HRESCH",
        Recipients = ["6f1c7c8e-0d5b-4a39-9a43-1b8a7f0d2c11"],
        ValidFrom = from,
        ValidUntil = until,
        Selection = new AgreementSelection { Modalities = ["CT", "NM"] },
        CopyRetention = "P1Y",
        CreatedAt = from,
        CreatedBy = "cli:cloudarchive",
    };

    private static ConsentRecord Consent(string pseudonym, ConsentStatus status) => new()
    {
        PatientPseudonym = pseudonym,
        Status = status,
        Purposes = ["HRESCH"],
        Source = "cli",
        RecordedAt = DateTimeOffset.UtcNow,
        RecordedBy = "cli:cloudarchive",
    };

    [Fact]
    public async Task Export_releases_only_consented_selected_studies_phi_free_idempotently_and_revocation_removes_them()
    {
        await using var app = await ExportApp.StartAsync(_azurite);

        // Patient 1: CT study of two instances, consented. Patient 2: MR (not selected), consented. Patient 3: CT, no
        // consent. Patient 4: NM (JPEG 2000, private tags), consented.
        var studies = new (string Sample, int Patient, int Count, bool Consent)[] { ("CT_small.dcm", 1, 2, true), ("MR_small.dcm", 2, 1, true), ("CT_small.dcm", 3, 1, false), ("JPEG2000.dcm", 4, 1, true) };
        var studyUids = new List<string>();
        foreach (var (sample, patient, count, consent) in studies)
        {
            var studyUid = SampleInstances.NewUid();
            studyUids.Add(studyUid);
            for (var i = 0; i < count; i++)
            {
                await app.IngestAsync($"gw/p{patient}/{i}.dcm", await SampleInstances.CopyAsync(sample, studyUid, SampleInstances.NewUid(), patient, withAddress: i == 0));
            }

            if (consent)
            {
                await app.Consents.PutAsync(Consent(await app.PseudonymAsync($"{SampleInstances.Planted}ID{patient}"), ConsentStatus.Active), Ct);
            }
        }

        Assert.True(await app.Agreements.TryCreateAsync(Agreement(AgreementId, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30)), Ct));

        // First run: the message as Event Grid and the Azure SDKs enqueue it (base64 of the JSON).
        var firstRun = ExportApp.NewCorrelationId();
        var first = await app.ExportAsync(Payloads.Base64(ExportApp.Request(AgreementId)), firstRun);

        Assert.NotNull(first);
        Assert.Equal((4, 2, 0, 0), (first.ArchiveStudies, first.Run.StudiesWritten, first.Run.StudiesUnchanged, first.Run.StudiesRemoved));
        Assert.Equal(1, first.ExcludedByReason["consent-missing"]);
        Assert.Equal(1, first.ExcludedByReason["not-selected"]);
        var summary = Assert.Single(app.Logs.Lines, l => l.Contains($"ExportResearchCopies {firstRun}: agreement {AgreementId}:", StringComparison.Ordinal));
        Assert.Contains("4 archive studies; written 2, unchanged 0, removed 0", summary, StringComparison.Ordinal);
        Assert.Contains("consent-missing=1", summary, StringComparison.Ordinal);
        Assert.Contains("not-selected=1", summary, StringComparison.Ordinal);
        var instances = (await app.ListAsync("Research", AgreementId + "/studies/")).ToDictionary(b => b.Name, b => b);
        Assert.Equal(3, instances.Count);
        Assert.Equal(2, instances.Keys.Select(n => ResearchNames.ParseInstance(n)!.StudyUid).Distinct().Count());
        var retainUntil = CloudArchive.Core.Retention.RetainUntilTag.ToTag(DateOnly.FromDateTime(DateTime.UtcNow).AddYears(1));
        var forbidden = new List<string> { SampleInstances.Planted, "ZEBRA", "CompressedSamples", "1CT1", "8NM1", "4MR1", "ABCD1234", "1234ABCD" };
        forbidden.AddRange(studyUids);
        foreach (var (name, item) in instances)
        {
            Assert.Equal(retainUntil, item.Tags["ca_retain_until"]);
            var bytes = await app.ReadAllAsync("Research", name);
            foreach (var token in forbidden)
            {
                Assert.True(bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(token)) < 0, $"{name} contains a planted or original identifying value");
            }

            await AssertDcmdumpParsesAsync(bytes);
        }

        var manifest = ExportManifest.Parse(await app.ReadAllAsync("Research", ResearchNames.Manifest(AgreementId)));
        Assert.Equal(ExportManifest.ResearchSchemaId, manifest.Schema);
        Assert.Equal(4, manifest.ArchiveStudies);
        Assert.Equal(manifest.ArchiveStudies, manifest.Exported.Studies + manifest.ExcludedByReason.Values.Sum());
        Assert.Equal(3, manifest.Exported.Instances);
        Assert.Null(manifest.ExcludedStudies);
        var admin = ExportManifest.Parse(await app.ReadAllAsync("Control", ExportNames.AdminManifest(AgreementId)));
        Assert.Equal(
            new[] { await app.StudyKeyAsync(studyUids[1]), await app.StudyKeyAsync(studyUids[2]) }.Order(StringComparer.Ordinal),
            admin.ExcludedStudies!.Select(e => e.StudyKey).Order(StringComparer.Ordinal));

        // A second run, the message as the CLI enqueues it (the JSON itself), rewrites nothing: same names, same ETags.
        var second = await app.ExportAsync(ExportApp.Request(AgreementId));
        Assert.NotNull(second);
        Assert.Equal((0, 2, 0), (second.Run.StudiesWritten, second.Run.StudiesUnchanged, second.Run.StudiesRemoved));
        var again = (await app.ListAsync("Research", AgreementId + "/studies/")).ToDictionary(b => b.Name, b => b.Properties.ETag);
        Assert.Equal(instances.ToDictionary(b => b.Key, b => b.Value.Properties.ETag), again);

        // Patient 1 withdraws consent: the next run, a queue delivery through the invocation middleware, removes that
        // study's copies and audits the withdrawal.
        var p1 = await app.PseudonymAsync($"{SampleInstances.Planted}ID1");
        await app.Consents.PutAsync(Consent(p1, ConsentStatus.Inactive), Ct);
        await app.DeliverExportAsync(Payloads.Base64(ExportApp.Request(AgreementId)));
        Assert.Contains(app.Logs.Lines, l => l.Contains("written 0, unchanged 1, removed 1", StringComparison.Ordinal));
        var remaining = await app.ListAsync("Research", AgreementId + "/studies/");
        Assert.Single(remaining);
        var audit = await app.AuditEventsAsync();
        var exports = audit.Where(e => e.EventType == AuditEventType.Export).ToList();
        Assert.Equal(2, exports.Count(e => e.Action == AuditAction.Create));
        Assert.All(exports.Where(e => e.Action == AuditAction.Create), e => Assert.Equal(firstRun, e.CorrelationId));
        var withdrawal = Assert.Single(exports, e => e.Action == AuditAction.Delete);
        Assert.Equal(p1, withdrawal.Patient!.Value.Value);
        Assert.Equal(await app.StudyKeyAsync(studyUids[0]), withdrawal.Study!.Value.Value);
        Assert.Equal(["research-copy-withdrawn", "reason=consent-not-active", "instances=2"], withdrawal.Details);
        Assert.True(Guid.TryParseExact(withdrawal.CorrelationId, "D", out _), "a delivery's audit lines carry its invocation id");
        Assert.All(exports, e => Assert.Equal(AgreementId, e.AgreementId));
        Assert.All(exports, e => Assert.Equal("HRESCH", e.PurposeOfUse));
        Assert.All(exports, e => Assert.Equal("svc:export-test", e.Actor.Id));
        Assert.DoesNotContain(SampleInstances.Planted, app.Logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_agreement_is_refused_with_a_security_alert_and_completes_while_a_malformed_message_fails_without_echoing_it()
    {
        await using var app = await ExportApp.StartAsync(_azurite);
        await app.IngestAsync("gw/a.dcm", await SampleInstances.CopyAsync("CT_small.dcm", SampleInstances.NewUid(), SampleInstances.NewUid(), 7, withAddress: false));
        Assert.True(await app.Agreements.TryCreateAsync(Agreement("expired-cohort", DateTimeOffset.UtcNow.AddDays(-60), DateTimeOffset.UtcNow.AddDays(-1)), Ct));

        // A refusal is a decision: the function returns null, and a delivery completes (no retry can change it).
        Assert.Null(await app.ExportAsync(Payloads.Base64(ExportApp.Request("expired-cohort"))));
        await app.DeliverExportAsync(ExportApp.Request("expired-cohort"));

        Assert.Equal(2, app.Logs.Lines.Count(l => l.Contains("agreement expired-cohort: refused (agreement-expired)", StringComparison.Ordinal)));
        Assert.Empty(await app.ListAsync("Research"));
        var alerts = (await app.AuditEventsAsync()).Where(e => e.EventType == AuditEventType.SecurityAlert).ToList();
        Assert.Equal(2, alerts.Count);
        Assert.All(alerts, alert =>
        {
            Assert.Equal("expired-cohort", alert.AgreementId);
            Assert.Contains("reason=agreement-expired", alert.Details);
        });

        // A malformed message fails the invocation (so it ends in the poison queue for a person) and is never echoed.
        foreach (var bad in new[] { "{\"agreementId\":\"expired-cohort\"}", "{\"agreementId\":\"Bad Id\",\"requestedBy\":\"cli:x\"}", "{\"agreementId\":\"expired-cohort\",\"requestedBy\":\"John Smith\"}", "[1]", "not json at all" })
        {
            foreach (var text in new[] { bad, Payloads.Base64(bad) })
            {
                var direct = await Assert.ThrowsAsync<InvalidMessageException>(() => app.ExportAsync(text));
                var delivered = await Assert.ThrowsAsync<InvalidMessageException>(() => app.DeliverExportAsync(text));
                Assert.DoesNotContain("John", direct.Message, StringComparison.Ordinal);
                Assert.DoesNotContain("John", delivered.Message, StringComparison.Ordinal);
            }
        }

        Assert.Equal(10, app.Logs.Lines.Count(l => l.Contains("ExportResearchCopies", StringComparison.Ordinal) && l.Contains("message rejected (permanent", StringComparison.Ordinal)));
        Assert.DoesNotContain("John", app.Logs.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Bad Id", app.Logs.Text, StringComparison.Ordinal);
    }

    private static async Task AssertDcmdumpParsesAsync(byte[] bytes)
    {
        var path = Path.Combine(Path.GetTempPath(), "ca-export-" + Guid.NewGuid().ToString("N") + ".dcm");
        await File.WriteAllBytesAsync(path, bytes, Ct);
        try
        {
            await Testing.DicomFileCheck.AssertParsesAsync(path, Ct);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
