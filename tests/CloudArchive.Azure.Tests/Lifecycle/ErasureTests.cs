using CloudArchive.Core.Audit;
using CloudArchive.Core.Keys;
using CloudArchive.Core.Lifecycle;
using CloudArchive.Core.Lifecycle.Erasure;
using CloudArchive.Core.Lifecycle.Holds;
using CloudArchive.Testing.Azurite;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CloudArchive.Azure.Tests.Lifecycle;

public sealed class ErasureTests(AzuriteFixture azurite)
{
    private const string PatientId = "PLANTEDID77";
    private static readonly AuditActor Officer = new("cli:cloudarchive", app: "cloudarchive-cli", role: "operator");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string> PseudonymAsync(LifecycleArchive archive)
    {
        using var namer = await archive.Keyring.GetIndexKeyNamerAsync(Ct);
        return PatientPseudonymizer.Pseudonym(namer, PatientId, null)!;
    }

    [Fact]
    public async Task A_dry_run_decides_each_study_and_changes_and_records_nothing()
    {
        using var archive = await LifecycleArchive.CreateAsync(azurite);
        var patient = await PseudonymAsync(archive);
        var erasable = await archive.SeedStudyAsync(patient, "2020-01-31", "2021-01-31");
        var retained = await archive.SeedStudyAsync(patient, "2020-01-31", "2099-12-31");
        var before = await archive.NamesAsync(archive.Archive);

        var result = await archive.Services.GetRequiredService<ErasureService>().RequestAsync(new ErasureRequest(PatientId, null, "Art. 17 request of 2026-12-01", Officer, DryRun: true), Ct);

        Assert.True(result.DryRun);
        Assert.Null(result.RequestId);
        Assert.Equal(patient, result.PatientPseudonym);
        Assert.Equal(ErasureDecision.Erase, result.Studies.Single(s => s.StudyKey == erasable.StudyKey).Decision);
        var refused = result.Studies.Single(s => s.StudyKey == retained.StudyKey);
        Assert.Equal(ErasureDecision.RefusedRetentionObligation, refused.Decision);
        Assert.Equal("2099-12-31", refused.RetainUntil);
        Assert.Equal(before, await archive.NamesAsync(archive.Archive));
        Assert.Empty(await archive.NamesAsync(archive.Control, "erasures/"));
        Assert.DoesNotContain(await archive.AuditAsync(), e => e.Details.Contains("erasure-request"));
    }

    [Fact]
    public async Task An_erasure_shreds_what_it_may_and_records_a_reason_for_each_refusal()
    {
        using var archive = await LifecycleArchive.CreateAsync(azurite);
        var patient = await PseudonymAsync(archive);
        var erasable = await archive.SeedStudyAsync(patient, "2020-01-31");
        var retained = await archive.SeedStudyAsync(patient, "2099-12-31");
        var held = await archive.SeedStudyAsync(patient, "2020-01-31");
        var stranger = await archive.SeedStudyAsync(LifecycleArchive.NewKey(), "2020-01-31");
        await archive.Services.GetRequiredService<LegalHoldService>().PlaceAsync(new LegalHoldRequest(LegalHoldScope.Study, held.StudyKey, "CASE-3", "litigation"), Officer, null, Ct);

        var result = await archive.Services.GetRequiredService<ErasureService>().RequestAsync(new ErasureRequest(PatientId, null, "Court order 2026/55", Officer, DryRun: false, "erase-1"), Ct);

        Assert.False(result.Complete);
        Assert.Equal(ErasureDecision.Erase, result.Studies.Single(s => s.StudyKey == erasable.StudyKey).Decision);
        Assert.Equal(ErasureDecision.RefusedRetentionObligation, result.Studies.Single(s => s.StudyKey == retained.StudyKey).Decision);
        Assert.Equal(ErasureDecision.RefusedLegalHold, result.Studies.Single(s => s.StudyKey == held.StudyKey).Decision);
        Assert.DoesNotContain(result.Studies, s => s.StudyKey == stranger.StudyKey);

        var names = await archive.NamesAsync(archive.Archive);
        Assert.DoesNotContain(names, n => n.Contains(erasable.StudyKey, StringComparison.Ordinal));
        Assert.Contains(names, n => n.Contains(retained.StudyKey, StringComparison.Ordinal));
        Assert.Contains(names, n => n.Contains(held.StudyKey, StringComparison.Ordinal));
        Assert.True((await archive.KeyringContainer.GetBlobClient(KeyringNames.Tombstone(erasable.StudyKey)).ExistsAsync(Ct)).Value);
        Assert.False((await archive.KeyringContainer.GetBlobClient(KeyringNames.Tombstone(held.StudyKey)).ExistsAsync(Ct)).Value);
        Assert.Equal([erasable.StudyKey], archive.Quarantine.StudiesDeleted);

        var record = System.Text.Encoding.UTF8.GetString((await archive.Control.GetBlobClient($"erasures/{result.RequestId}.json").DownloadContentAsync(Ct)).Value.Content.ToArray());
        Assert.Contains("Court order 2026/55", record, StringComparison.Ordinal);
        Assert.Contains("refused-legal-hold", record, StringComparison.Ordinal);
        Assert.DoesNotContain(PatientId, record, StringComparison.Ordinal);

        var audit = await archive.AuditAsync();
        Assert.Contains(audit, e => e.EventType == AuditEventType.StudyDeleted && e.Study?.Value == erasable.StudyKey && e.Outcome == AuditOutcome.Success && e.Details.Contains("decision=erase") && e.CorrelationId == "erase-1");
        Assert.Contains(audit, e => e.EventType == AuditEventType.StudyDeleted && e.Study?.Value == retained.StudyKey && e.Outcome == AuditOutcome.MinorFailure && e.Details.Contains("decision=refused-retention-obligation"));
        Assert.Contains(audit, e => e.EventType == AuditEventType.StudyDeleted && e.Study?.Value == held.StudyKey && e.Outcome == AuditOutcome.MinorFailure && e.Details.Contains("decision=refused-legal-hold"));
    }

    [Fact]
    public async Task An_erasure_without_a_basis_or_patient_id_is_refused_before_anything_happens()
    {
        using var archive = await LifecycleArchive.CreateAsync(azurite);
        var erasure = archive.Services.GetRequiredService<ErasureService>();
        Assert.Equal(LifecycleFailureReason.InvalidRequest, (await Assert.ThrowsAsync<LifecycleException>(() => erasure.RequestAsync(new ErasureRequest(PatientId, null, "  ", Officer, false), Ct))).Reason);
        Assert.Equal(LifecycleFailureReason.InvalidRequest, (await Assert.ThrowsAsync<LifecycleException>(() => erasure.RequestAsync(new ErasureRequest(" ", null, "basis", Officer, false), Ct))).Reason);
        Assert.Empty(await archive.NamesAsync(archive.Control, "erasures/"));
    }
}
