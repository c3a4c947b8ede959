using CloudArchive.Core.Audit;
using CloudArchive.Core.Keys;
using CloudArchive.Core.Lifecycle;
using CloudArchive.Core.Lifecycle.Holds;
using CloudArchive.Core.Lifecycle.Shred;
using CloudArchive.Testing.Azurite;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CloudArchive.Azure.Tests.Lifecycle;

public sealed class LegalHoldTests(AzuriteFixture azurite)
{
    private static readonly AuditActor Officer = new("cli:cloudarchive", app: "cloudarchive-cli", role: "operator");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_study_hold_tags_its_instances_is_listed_and_refuses_a_shred_with_an_audited_refusal()
    {
        using var archive = await LifecycleArchive.CreateAsync(azurite);
        var study = await archive.SeedStudyAsync(LifecycleArchive.NewKey(), "2020-01-31", "2031-01-31");
        var holds = archive.Services.GetRequiredService<LegalHoldService>();

        var placed = await holds.PlaceAsync(new LegalHoldRequest(LegalHoldScope.Study, study.StudyKey, "CASE-2026-017", "Pending litigation, Smith v. Hospital"), Officer, "c-1", Ct);

        Assert.Equal(2, placed.InstancesChanged);
        foreach (var instance in study.InstanceKeys)
        {
            Assert.Equal("1", await archive.HoldTagAsync(study.StudyKey, instance));
        }

        var listed = new List<LegalHold>();
        await foreach (var hold in holds.ListAsync(includeReleased: false, Ct))
        {
            listed.Add(hold);
        }

        var only = Assert.Single(listed);
        Assert.Equal(placed.Hold, only);
        Assert.Equal("Pending litigation, Smith v. Hospital", only.Reason);
        var ex = await Assert.ThrowsAsync<KeyringException>(() => archive.Services.GetRequiredService<StudyShredder>().ShredAsync(new StudyShredRequest(study.StudyKey, Officer, "operator-request"), Ct));
        Assert.Equal(KeyringFailureReason.LegalHold, ex.Reason);
        Assert.True((await archive.KeyringContainer.GetBlobClient(KeyringNames.Study(study.StudyKey)).ExistsAsync(Ct)).Value);
        Assert.Empty(archive.Quarantine.StudiesDeleted);

        var audit = await archive.AuditAsync();
        var line = Assert.Single(audit, e => e.Details.Contains("legal-hold-placed"));
        Assert.Equal(AuditEventType.InstancesAccessed, line.EventType);
        Assert.Contains("hold=" + placed.Hold.Id, line.Details);
        Assert.Contains("case=CASE-2026-017", line.Details);
        Assert.DoesNotContain(audit, e => e.Details.Any(d => d.Contains("smith", StringComparison.OrdinalIgnoreCase)));
        Assert.Contains(audit, e => e.EventType == AuditEventType.SecurityAlert && e.Details.Contains("study-key-shred-refused") && e.Study?.Value == study.StudyKey);
    }

    [Fact]
    public async Task A_patient_hold_covers_a_study_ingested_after_it_was_placed()
    {
        using var archive = await LifecycleArchive.CreateAsync(azurite);
        var patient = LifecycleArchive.NewKey();
        await archive.Services.GetRequiredService<LegalHoldService>().PlaceAsync(new LegalHoldRequest(LegalHoldScope.Patient, patient, "CASE-1", "court order"), Officer, null, Ct);
        var later = await archive.SeedStudyAsync(patient, "2020-01-31");

        Assert.True(await archive.Services.GetRequiredService<ILegalHoldQuery>().IsStudyOnHoldAsync(later.StudyKey, Ct));
        var ex = await Assert.ThrowsAsync<KeyringException>(() => archive.Services.GetRequiredService<StudyShredder>().ShredAsync(new StudyShredRequest(later.StudyKey, Officer, "operator-request"), Ct));
        Assert.Equal(KeyringFailureReason.LegalHold, ex.Reason);
        Assert.False(await archive.Services.GetRequiredService<ILegalHoldQuery>().IsStudyOnHoldAsync((await archive.SeedStudyAsync(LifecycleArchive.NewKey(), "2020-01-31")).StudyKey, Ct));
    }

    [Fact]
    public async Task Releasing_needs_a_reason_and_leaves_instances_another_hold_covers_tagged()
    {
        using var archive = await LifecycleArchive.CreateAsync(azurite);
        var patient = LifecycleArchive.NewKey();
        var study = await archive.SeedStudyAsync(patient, "2020-01-31");
        var other = await archive.SeedStudyAsync(patient, "2020-01-31");
        var holds = archive.Services.GetRequiredService<LegalHoldService>();
        var byStudy = await holds.PlaceAsync(new LegalHoldRequest(LegalHoldScope.Study, study.StudyKey, "CASE-1", "first case"), Officer, null, Ct);
        var byPatient = await holds.PlaceAsync(new LegalHoldRequest(LegalHoldScope.Patient, patient, "CASE-2", "second case"), Officer, null, Ct);

        var noReason = await Assert.ThrowsAsync<LifecycleException>(() => holds.ReleaseAsync(byPatient.Hold.Id, " ", Officer, null, Ct));
        Assert.Equal(LifecycleFailureReason.InvalidRequest, noReason.Reason);
        var released = await holds.ReleaseAsync(byPatient.Hold.Id, "case settled", Officer, null, Ct);

        Assert.False(released.Hold.IsActive);
        Assert.Equal("case settled", released.Hold.ReleaseReason);
        Assert.Equal(1, released.InstancesChanged);
        Assert.Equal(1, released.InstancesStillHeld);
        Assert.Equal("1", await archive.HoldTagAsync(study.StudyKey, study.InstanceKeys[0]));
        Assert.Equal("0", await archive.HoldTagAsync(other.StudyKey, other.InstanceKeys[0]));

        var again = await holds.ReleaseAsync(byPatient.Hold.Id, "repeat", Officer, null, Ct);
        Assert.Equal(released.Hold, again.Hold);
        await holds.ReleaseAsync(byStudy.Hold.Id, "first case closed", Officer, null, Ct);
        Assert.Equal("0", await archive.HoldTagAsync(study.StudyKey, study.InstanceKeys[0]));

        var all = new List<LegalHold>();
        await foreach (var hold in holds.ListAsync(includeReleased: true, Ct))
        {
            all.Add(hold);
        }

        Assert.Equal(2, all.Count);
        Assert.All(all, h => Assert.False(h.IsActive));
        var missing = await Assert.ThrowsAsync<LifecycleException>(() => holds.ReleaseAsync("hold-20260101-00000000", "x", Officer, null, Ct));
        Assert.Equal(LifecycleFailureReason.HoldNotFound, missing.Reason);
        Assert.Equal(2, (await archive.AuditAsync()).Count(e => e.Details.Contains("legal-hold-released") && e.Details.Contains("hold=" + byPatient.Hold.Id)));
    }

    [Fact]
    public async Task A_hold_needs_an_opaque_target_a_case_code_and_a_reason()
    {
        using var archive = await LifecycleArchive.CreateAsync(azurite);
        var holds = archive.Services.GetRequiredService<LegalHoldService>();
        var key = LifecycleArchive.NewKey();
        foreach (var request in new[]
        {
            new LegalHoldRequest(LegalHoldScope.Study, "1.2.840.113619.2.55", "CASE-1", "r"),
            new LegalHoldRequest(LegalHoldScope.Study, key, "Smith v. Hospital", "r"),
            new LegalHoldRequest(LegalHoldScope.Study, key, "CASE-1", ""),
        })
        {
            var ex = await Assert.ThrowsAsync<LifecycleException>(() => holds.PlaceAsync(request, Officer, null, Ct));
            Assert.Equal(LifecycleFailureReason.InvalidRequest, ex.Reason);
        }

        Assert.Empty(await archive.NamesAsync(archive.Control, "holds/"));
    }
}
