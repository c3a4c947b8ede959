using CloudArchive.Core.Audit;
using CloudArchive.Core.Keys;
using CloudArchive.Dicom;
using CloudArchive.Research.Agreements;
using CloudArchive.Research.Consent;
using CloudArchive.Research.Export;
using CloudArchive.Research.Publication;
using Xunit;

namespace CloudArchive.Research.Tests.Export;

public sealed class ResearchExporterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Uid() => "2.25." + new System.Numerics.BigInteger(Guid.NewGuid().ToByteArray(), isUnsigned: true);

    /// <summary>P1 (consented CT, 2 instances), P2 (no consent), P3 (consented MR: not selected), P4 (revoked).</summary>
    private static async Task<(string S1, string S2, string S3, string S4)> FourPatientsAsync(ExportHarness h)
    {
        var (s1, s2, s3, s4) = (Uid(), Uid(), Uid(), Uid());
        await h.IngestAsync(s1, Uid(), "PLANTEDP1");
        await h.IngestAsync(s1, Uid(), "PLANTEDP1");
        await h.IngestAsync(s2, Uid(), "PLANTEDP2");
        await h.IngestAsync(s3, Uid(), "PLANTEDP3", modality: "MR");
        await h.IngestAsync(s4, Uid(), "PLANTEDP4");
        await h.ConsentAsync("PLANTEDP1");
        await h.ConsentAsync("PLANTEDP3");
        await h.ConsentAsync("PLANTEDP4", ConsentStatus.Inactive);
        h.Agreements.Set(h.Agreement(new AgreementSelection { Modalities = ["CT"] }));
        return (s1, s2, s3, s4);
    }

    [Fact]
    public async Task Only_consented_selected_studies_are_released_deidentified_and_the_manifest_accounts_for_every_study()
    {
        using var h = new ExportHarness();
        var (s1, s2, s3, s4) = await FourPatientsAsync(h);

        var result = await h.ExportAsync();

        Assert.Equal(1, result.StudiesWritten);
        var names = h.Research.InstanceNames();
        Assert.Equal(2, names.Count);
        Assert.All(names, n => Assert.StartsWith(ExportHarness.AgreementId + "/studies/2.25.", n, StringComparison.Ordinal));
        var parsed = names.Select(n => ResearchNames.ParseInstance(n)!).ToList();
        Assert.Single(parsed.Select(p => p.StudyUid).Distinct());
        Assert.DoesNotContain(parsed, p => p.StudyUid == s1);
        foreach (var name in names)
        {
            var (content, contentType, tags) = h.Research.Blobs[name];
            Assert.Equal("application/dicom", contentType);
            Assert.Equal(CloudArchive.Core.Retention.RetainUntilTag.ToTag(DateOnly.FromDateTime(h.Time.GetUtcNow().UtcDateTime).AddYears(2)), tags["ca_retain_until"]);
            foreach (var token in new[] { "PLANTED", s1, "ABCD1234", "1234ABCD", "CompressedSamples" })
            {
                Assert.False(ExportHarness.Contains(content, token), $"{name} contains {token}");
            }

            await using var file = await DicomFile.ReadAsync(new MemoryStream(content), cancellationToken: Ct);
            Assert.Equal("YES", file.Dataset.GetString(new DicomTag(0x0012, 0x0062)));
            Assert.Equal(ResearchNames.ParseInstance(name)!.InstanceUid, file.Dataset.GetString(DicomTags.SOPInstanceUID));
        }

        var admin = h.AdminManifest();
        Assert.Equal(ExportManifest.AdminSchemaId, admin.Schema);
        Assert.Equal(4, admin.ArchiveStudies);
        Assert.Equal(new ExportTotals(1, 1, 2, h.Research.Blobs.Where(b => b.Key.EndsWith(".dcm", StringComparison.Ordinal)).Sum(b => (long)b.Value.Content.Length)), admin.Exported);
        Assert.Equal(1, admin.ExcludedByReason["consent-missing"]);
        Assert.Equal(1, admin.ExcludedByReason["not-selected"]);
        Assert.Equal(1, admin.ExcludedByReason["consent-not-active"]);
        Assert.Equal(admin.ArchiveStudies, admin.Exported.Studies + admin.ExcludedByReason.Values.Sum());
        Assert.Equal(
            new[] { await h.StudyKeyAsync(s2), await h.StudyKeyAsync(s3), await h.StudyKeyAsync(s4) }.Order(StringComparer.Ordinal),
            admin.ExcludedStudies!.Select(e => e.StudyKey).Order(StringComparer.Ordinal));
        Assert.Equal("basic", admin.Profile);
        Assert.Equal(ResearchExportOptions.DefaultSoftwareVersion, admin.SoftwareVersion);

        var forResearchers = h.ResearchManifest();
        Assert.Equal(ExportManifest.ResearchSchemaId, forResearchers.Schema);
        Assert.Null(forResearchers.ExcludedStudies);
        Assert.Equal(admin.ExcludedByReason, forResearchers.ExcludedByReason);
        foreach (var key in admin.ExcludedStudies!.Select(e => e.StudyKey))
        {
            Assert.False(ExportHarness.Contains(h.Research.Blobs[ResearchNames.Manifest(ExportHarness.AgreementId)].Content, key));
        }

        var exports = h.AuditEvents(AuditEventType.Export);
        var line = Assert.Single(exports);
        Assert.Equal(AuditAction.Create, line.Action);
        Assert.Equal("HRESCH", line.PurposeOfUse);
        Assert.Equal(ExportHarness.AgreementId, line.AgreementId);
        Assert.Equal(await h.StudyKeyAsync(s1), line.Study!.Value.Value);
        Assert.Equal(await h.PseudonymAsync("PLANTEDP1"), line.Patient!.Value.Value);
        Assert.Contains("instances=2", line.Details);
        Assert.Equal(admin.Exported.Bytes, line.Bytes);
        Assert.Equal("run-1", line.CorrelationId);
    }

    [Fact]
    public async Task A_second_run_with_nothing_changed_rewrites_nothing_and_keeps_the_same_uids()
    {
        using var h = new ExportHarness();
        await FourPatientsAsync(h);
        await h.ExportAsync();
        var first = h.Research.Blobs.Where(b => b.Key.EndsWith(".dcm", StringComparison.Ordinal)).ToDictionary(b => b.Key, b => b.Value.Content);
        var puts = h.Research.Puts;

        var second = await h.ExportAsync();

        Assert.Equal(0, second.StudiesWritten);
        Assert.Equal(1, second.StudiesUnchanged);
        Assert.Equal(puts + 1, h.Research.Puts); // the researchers' manifest only
        Assert.Equal(first.Keys.Order(), h.Research.InstanceNames());
        Assert.All(first, b => Assert.Equal(b.Value, h.Research.Blobs[b.Key].Content));
        Assert.Single(h.AuditEvents(AuditEventType.Export));
        Assert.Equal(h.AdminManifest().Exported, new ExportTotals(1, 1, 2, first.Values.Sum(v => (long)v.Length)));
    }

    [Fact]
    public async Task Revoking_consent_removes_the_patients_copies_and_ledger_entry_on_the_next_run_and_audits_the_withdrawal()
    {
        using var h = new ExportHarness();
        var (s1, _, _, _) = await FourPatientsAsync(h);
        await h.ExportAsync();
        Assert.Equal(2, h.Research.InstanceNames().Count);

        await h.ConsentAsync("PLANTEDP1", ConsentStatus.Inactive);
        var result = await h.ExportAsync();

        Assert.Empty(h.Research.InstanceNames());
        Assert.Equal(1, result.StudiesRemoved);
        Assert.Null(await h.Ledger.GetAsync(ExportHarness.AgreementId, await h.StudyKeyAsync(s1), Ct));
        var withdrawal = h.AuditEvents(AuditEventType.Export).Single(e => e.Action == AuditAction.Delete);
        Assert.Equal(["research-copy-withdrawn", "reason=consent-not-active", "instances=2"], withdrawal.Details);
        Assert.Equal(await h.StudyKeyAsync(s1), withdrawal.Study!.Value.Value);
        Assert.Equal(await h.PseudonymAsync("PLANTEDP1"), withdrawal.Patient!.Value.Value);
        var admin = h.AdminManifest();
        Assert.Equal(new ExportRunCounts(0, 0, 1, 0, 0, 2), admin.Run);
        Assert.Equal(2, admin.ExcludedByReason["consent-not-active"]);
        Assert.Equal(0, admin.Exported.Studies);
    }

    [Fact]
    public async Task Narrowing_the_selection_withdraws_studies_it_no_longer_covers()
    {
        using var h = new ExportHarness();
        await FourPatientsAsync(h);
        await h.ExportAsync();
        h.Agreements.Set(h.Agreement(new AgreementSelection { Modalities = ["MR"] }));

        await h.ExportAsync();

        var names = h.Research.InstanceNames();
        Assert.Single(names); // P3's MR study now; P1's CT study withdrawn
        Assert.Contains(h.AuditEvents(AuditEventType.Export), e => e.Action == AuditAction.Delete && e.Details.Contains("reason=not-selected"));
    }

    [Fact]
    public async Task New_instances_of_an_exported_study_are_added_without_rewriting_the_released_ones()
    {
        using var h = new ExportHarness();
        var (s1, _, _, _) = await FourPatientsAsync(h);
        await h.ExportAsync();
        var before = h.Research.InstanceNames();
        var puts = h.Research.Puts;

        await h.IngestAsync(s1, Uid(), "PLANTEDP1");
        var result = await h.ExportAsync();

        Assert.Equal(1, result.StudiesWritten);
        var after = h.Research.InstanceNames();
        Assert.Equal(3, after.Count);
        Assert.Subset(after.ToHashSet(), before.ToHashSet());
        Assert.Equal(puts + 2, h.Research.Puts); // one instance and the manifest
        var update = h.AuditEvents(AuditEventType.Export).Last();
        Assert.Equal(["research-copy-updated", "instances=1"], update.Details);
        var entry = (await h.Ledger.GetAsync(ExportHarness.AgreementId, await h.StudyKeyAsync(s1), Ct))!;
        Assert.Equal(3, entry.Instances.Count);
    }

    [Fact]
    public async Task Instances_no_longer_selected_are_removed_from_a_study_that_stays_released()
    {
        using var h = new ExportHarness();
        var study = Uid();
        await h.IngestAsync(study, Uid(), "PLANTEDP6", modality: "CT");
        await h.IngestAsync(study, Uid(), "PLANTEDP6", modality: "MR");
        await h.ConsentAsync("PLANTEDP6");
        h.Agreements.Set(h.Agreement(new AgreementSelection { Modalities = ["CT", "MR"] }));
        await h.ExportAsync();
        var both = h.Research.InstanceNames();
        Assert.Equal(2, both.Count);

        h.Agreements.Set(h.Agreement(new AgreementSelection { Modalities = ["CT"] }));
        var result = await h.ExportAsync();

        var left = Assert.Single(h.Research.InstanceNames());
        Assert.Contains(left, both);
        Assert.Equal(1, result.Manifest.Run.InstancesRemoved);
        Assert.Equal(new ExportTotals(1, 1, 1, h.Research.Blobs[left].Content.Length), result.Manifest.Exported);
        var last = h.AuditEvents(AuditEventType.Export).Last();
        Assert.Equal(AuditAction.Delete, last.Action);
        Assert.Equal(["research-copy-updated", "instances=0", "instances-removed=1"], last.Details);
        Assert.Single((await h.Ledger.GetAsync(ExportHarness.AgreementId, await h.StudyKeyAsync(study), Ct))!.Instances);
    }

    [Fact]
    public async Task A_study_with_an_instance_the_deidentifier_refuses_is_withheld_whole()
    {
        using var h = new ExportHarness();
        var study = Uid();
        await h.IngestAsync(study, Uid(), "PLANTEDP5");
        await h.IngestAsync(study, Uid(), "PLANTEDP5", burnedIn: true);
        await h.IngestAsync(study, Uid(), "PLANTEDP5");
        await h.ConsentAsync("PLANTEDP5");
        h.Agreements.Set(h.Agreement());

        var result = await h.Exporter(parallelism: 1).ExportAsync(new ResearchExportRequest { AgreementId = ExportHarness.AgreementId, RequestedBy = "cli:test" }, null, Ct);

        Assert.Empty(h.Research.InstanceNames());
        Assert.Equal(1, result.ExcludedByReason["deidentification-refused"]);
        Assert.DoesNotContain(h.Ledger.Blobs.Keys, k => k.Contains("/studies/", StringComparison.Ordinal));
        Assert.Empty(h.AuditEvents(AuditEventType.Export));
    }

    [Fact]
    public async Task A_shredded_study_is_excluded_as_shredded_and_its_earlier_copies_are_removed()
    {
        using var h = new ExportHarness();
        var (s1, _, _, _) = await FourPatientsAsync(h);
        await h.ExportAsync();

        await h.Ingest.Keyring.ShredStudyAsync(new ShredRequest(await h.StudyKeyAsync(s1), "cli:test", "erasure"), Ct);
        var result = await h.ExportAsync();

        Assert.Equal(1, result.ExcludedByReason["study-shredded"]);
        Assert.Equal(1, result.StudiesRemoved);
        Assert.Empty(h.Research.InstanceNames());
    }

    [Fact]
    public async Task Copies_of_a_study_deleted_from_the_archive_are_removed()
    {
        using var h = new ExportHarness();
        var (s1, _, _, _) = await FourPatientsAsync(h);
        await h.ExportAsync();
        var studyKey = await h.StudyKeyAsync(s1);
        foreach (var key in h.Ingest.Storage.Archive.Keys.Where(k => k.Contains(studyKey, StringComparison.Ordinal)).ToList())
        {
            h.Ingest.Storage.Archive.Remove(key);
        }

        var result = await h.ExportAsync();

        Assert.Empty(h.Research.InstanceNames());
        Assert.Equal(1, result.StudiesRemoved);
        Assert.Equal(3, h.AdminManifest().ArchiveStudies);
        Assert.Contains(h.AuditEvents(AuditEventType.Export), e => e.Action == AuditAction.Delete && e.Details.Contains("reason=source-deleted"));
    }

    [Fact]
    public async Task A_run_that_fails_mid_upload_leaves_a_pending_ledger_entry_and_the_next_run_completes_the_study()
    {
        using var h = new ExportHarness();
        var (s1, _, _, _) = await FourPatientsAsync(h);
        h.Research.FailPutNumber = 2;

        await Assert.ThrowsAsync<IOException>(() => h.ExportAsync());
        var pending = (await h.Ledger.GetAsync(ExportHarness.AgreementId, await h.StudyKeyAsync(s1), Ct))!;
        Assert.StartsWith("pending:", pending.SettingsHash, StringComparison.Ordinal);
        Assert.Equal(2, pending.Instances.Count);

        var result = await h.ExportAsync();
        Assert.Equal(1, result.StudiesWritten);
        Assert.Equal(pending.Instances.Select(i => i.BlobName).Order(), h.Research.InstanceNames());

        // And a revocation after such a crash still finds every copy.
        await h.ConsentAsync("PLANTEDP1", ConsentStatus.Inactive);
        await h.ExportAsync();
        Assert.Empty(h.Research.InstanceNames());
    }

    [Theory]
    [InlineData("expired", "agreement-expired")]
    [InlineData("future", "agreement-not-yet-valid")]
    [InlineData("closed", "agreement-closed")]
    [InlineData("missing", "agreement-not-found")]
    [InlineData("bad-options", "invalid-deidentification")]
    public async Task An_agreement_not_in_force_is_refused_with_a_security_alert_and_nothing_is_written(string state, string code)
    {
        using var h = new ExportHarness();
        await FourPatientsAsync(h);
        var now = h.Time.GetUtcNow();
        var agreement = h.Agreement();
        switch (state)
        {
            case "expired": h.Agreements.Set(agreement with { ValidFrom = now.AddDays(-30), ValidUntil = now.AddSeconds(-1) }); break;
            case "future": h.Agreements.Set(agreement with { ValidFrom = now.AddDays(1), ValidUntil = now.AddDays(30) }); break;
            case "closed": h.Agreements.Set(agreement with { Status = AgreementStatus.Closed, ClosedAt = now, ClosedBy = "cli:test" }); break;
            case "missing": break;
            case "bad-options": h.Agreements.Set(agreement with { Deidentification = new AgreementDeidentification { Options = ["retainEverything"] } }); break;
        }

        var id = state == "missing" ? "absent-agreement" : ExportHarness.AgreementId;

        var ex = await Assert.ThrowsAsync<ExportRefusedException>(() => h.ExportAsync(id));

        Assert.Equal(code, ex.ReasonCode);
        Assert.Empty(h.Research.Blobs);
        Assert.Empty(h.Ledger.Blobs);
        var alert = Assert.Single(h.AuditEvents(AuditEventType.SecurityAlert));
        Assert.Equal(id, alert.AgreementId);
        Assert.Equal(["research-export-refused", "reason=" + code], alert.Details);
        Assert.Equal(AuditOutcome.MinorFailure, alert.Outcome);
    }

    [Fact]
    public async Task A_malformed_agreement_id_is_refused_and_audited_without_the_id()
    {
        using var h = new ExportHarness();
        var ex = await Assert.ThrowsAsync<ExportRefusedException>(() => h.ExportAsync("../Other"));
        Assert.Equal(ExportRefusalReason.InvalidAgreementId, ex.Reason);
        var alert = Assert.Single(h.AuditEvents(AuditEventType.SecurityAlert));
        Assert.Null(alert.AgreementId);
    }

    [Fact]
    public async Task A_requester_that_is_not_an_actor_id_is_rejected_before_anything_happens()
    {
        using var h = new ExportHarness();
        h.Agreements.Set(h.Agreement());
        await Assert.ThrowsAsync<ArgumentException>(() => h.Exporter().ExportAsync(new ResearchExportRequest { AgreementId = ExportHarness.AgreementId, RequestedBy = "Jane Doe" }, null, Ct));
        Assert.Empty(h.Ingest.AuditRecords());
    }

    [Fact]
    public async Task Progress_is_reported_for_every_study()
    {
        using var h = new ExportHarness();
        await FourPatientsAsync(h);
        var reports = new List<ExportProgress>();
        var progress = new SynchronousProgress(reports);

        await h.Exporter().ExportAsync(new ResearchExportRequest { AgreementId = ExportHarness.AgreementId, RequestedBy = "cli:test" }, progress, Ct);

        Assert.Equal(4, reports.Count);
        Assert.Equal(4, reports.Max(r => r.StudiesSeen));
        Assert.Equal(2, reports.Max(r => r.InstancesWritten));
    }

    private sealed class SynchronousProgress(List<ExportProgress> reports) : IProgress<ExportProgress>
    {
        public void Report(ExportProgress value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
