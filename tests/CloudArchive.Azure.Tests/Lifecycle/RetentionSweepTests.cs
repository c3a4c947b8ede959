using CloudArchive.Azure.Composition;
using CloudArchive.Azure.Lifecycle;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Tests.Research;
using CloudArchive.Core.Archive;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Keys;
using CloudArchive.Core.Lifecycle;
using CloudArchive.Core.Lifecycle.Holds;
using CloudArchive.Core.Lifecycle.Sweep;
using CloudArchive.Research.Agreements;
using CloudArchive.Research.Export;
using CloudArchive.Testing.Azurite;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CloudArchive.Azure.Tests.Lifecycle;

public sealed class RetentionSweepTests(AzuriteFixture azurite)
{
    private static readonly DateOnly Today = new(2026, 12, 6);
    private static readonly AuditActor Actor = RetentionSweepService.ServiceActor;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A partly expired study, a wholly expired one with a research copy, a held one, an unexpired one.</summary>
    private sealed record Scenario(
        (string StudyKey, List<string> InstanceKeys) Partial,
        (string StudyKey, List<string> InstanceKeys) Whole,
        (string StudyKey, List<string> InstanceKeys) Held,
        (string StudyKey, List<string> InstanceKeys) Kept,
        string ResearchBlob);

    private static async Task<Scenario> SeedAsync(LifecycleArchive archive)
    {
        var patient = LifecycleArchive.NewKey();
        var partial = await archive.SeedStudyAsync(patient, "2020-01-31", "2031-03-31");
        var whole = await archive.SeedStudyAsync(patient, "2019-05-31", "2020-01-31", "2026-11-30");
        var held = await archive.SeedStudyAsync(LifecycleArchive.NewKey(), "2020-01-31", "2020-02-29");
        var kept = await archive.SeedStudyAsync(LifecycleArchive.NewKey(), "2026-12-31");
        await archive.Services.GetRequiredService<IAgreementStore>().TryCreateAsync(ResearchTestData.Agreement("lung-1"), Ct);
        var research = await archive.SeedResearchCopyAsync("lung-1", whole.StudyKey, whole.InstanceKeys[0]);
        await archive.Services.GetRequiredService<LegalHoldService>().PlaceAsync(new LegalHoldRequest(LegalHoldScope.Study, held.StudyKey, "CASE-7", "litigation"), Actor, null, Ct);
        return new Scenario(partial, whole, held, kept, research);
    }

    [Fact]
    public async Task Plan_shows_each_expired_instance_with_its_action_and_changes_nothing()
    {
        using var archive = await LifecycleArchive.CreateAsync(azurite);
        var s = await SeedAsync(archive);
        var before = await archive.NamesAsync(archive.Archive);

        var plan = new List<SweepPlanItem>();
        await foreach (var item in archive.Services.GetRequiredService<RetentionSweepService>().PlanAsync(Today, Ct))
        {
            plan.Add(item);
        }

        Assert.Equal([s.Partial.InstanceKeys[0]], plan.Where(p => p.Action == SweepAction.DeleteInstance).Select(p => p.InstanceKey));
        Assert.Equal(s.Whole.InstanceKeys.Order(StringComparer.Ordinal), plan.Where(p => p.Action == SweepAction.ShredStudy).Select(p => p.InstanceKey).Order(StringComparer.Ordinal));
        // Placing the hold tagged the held study's instances ca_hold=1, so the expired query does not even return them.
        Assert.DoesNotContain(plan, p => p.StudyKey == s.Held.StudyKey);
        Assert.DoesNotContain(plan, p => p.StudyKey == s.Kept.StudyKey);
        Assert.Contains(plan, p => p.RetainUntil == "2019-05-31");

        // The seeded records are not real index records, so the rule cannot be read: the plan says so instead of failing.
        Assert.All(plan, p => Assert.Null(p.RuleId));
        Assert.Equal(before, await archive.NamesAsync(archive.Archive));
        Assert.Null((await archive.KeyringContainer.GetBlobClient(KeyringNames.Tombstone(s.Whole.StudyKey)).ExistsAsync(Ct)).Value ? "tombstone" : null);
    }

    [Fact]
    public async Task Run_deletes_expired_instances_shreds_wholly_expired_studies_and_keeps_held_ones()
    {
        using var archive = await LifecycleArchive.CreateAsync(azurite);
        var s = await SeedAsync(archive);

        var result = await archive.Services.GetRequiredService<RetentionSweepService>().RunAsync(Today, Actor, "sweep-test", Ct);

        Assert.Equal(1 + 3, result.InstancesExpired);
        Assert.Equal(1 + 3, result.InstancesDeleted);
        Assert.Equal(1, result.StudiesShredded);
        Assert.Equal(0, result.StudiesHeld);
        Assert.Equal(1, result.ResearchInstancesWithdrawn);
        Assert.Equal(2, result.QuarantineCopiesDeleted);
        await AssertFinalStateAsync(archive, s);
        Assert.Equal([s.Whole.StudyKey], archive.Quarantine.StudiesDeleted);
        Assert.Equal(new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero), Assert.Single(archive.Quarantine.ExpiredCalls));

        var audit = await archive.AuditAsync();
        Assert.Contains(audit, e => e.EventType == AuditEventType.StudyDeleted && e.Instance?.Value == s.Partial.InstanceKeys[0] && e.Details.Contains("instance-deleted"));
        Assert.Contains(audit, e => e.EventType == AuditEventType.StudyDeleted && e.Study?.Value == s.Whole.StudyKey && e.Details.Contains("study-key-shredded"));
        Assert.Contains(audit, e => e.EventType == AuditEventType.StudyDeleted && e.Study?.Value == s.Whole.StudyKey && e.Details.Contains("study-shred-complete") && e.Details.Contains("reason=retention-expired"));
        Assert.Contains(audit, e => e.EventType == AuditEventType.StudyDeleted && e.Study?.Value == s.Whole.StudyKey && e.Details.Contains("instances-deleted=3"));
        Assert.Contains(audit, e => e.EventType == AuditEventType.Export && e.Action == AuditAction.Delete && e.Study?.Value == s.Whole.StudyKey && e.Details.Contains("reason=study-shredded"));
        Assert.DoesNotContain(audit, e => e.EventType == AuditEventType.StudyDeleted && e.Study?.Value == s.Held.StudyKey);
        Assert.Contains(audit, e => e.EventType == AuditEventType.StudyDeleted && e.Action == AuditAction.Execute && e.Details.Contains("retention-sweep") && e.CorrelationId == "sweep-test");
    }

    [Fact]
    public async Task A_second_run_finds_nothing_more_to_do()
    {
        using var archive = await LifecycleArchive.CreateAsync(azurite);
        var s = await SeedAsync(archive);
        var sweep = archive.Services.GetRequiredService<RetentionSweepService>();
        await sweep.RunAsync(Today, Actor, null, Ct);
        var after = await archive.NamesAsync(archive.Archive);

        var again = await sweep.RunAsync(Today, Actor, null, Ct);

        Assert.Equal(0, again.InstancesDeleted);
        Assert.Equal(0, again.StudiesShredded);
        Assert.Equal(0, again.StudiesHeld);
        Assert.Equal(after, await archive.NamesAsync(archive.Archive));
        await AssertFinalStateAsync(archive, s);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, false)]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    public async Task A_run_interrupted_after_any_delete_and_run_again_ends_in_the_same_state(int deletesBeforeCrash, bool walk)
    {
        InterruptingTagIndex? interrupting = null;
        using var archive = await LifecycleArchive.CreateAsync(azurite, services => services.AddSingleton<IArchiveTagIndex>(sp =>
        {
            var connection = sp.GetRequiredService<StorageConnection>();
            var settings = sp.GetRequiredService<CloudArchiveSettings>();
            interrupting = new InterruptingTagIndex(new BlobArchiveTagIndex(connection.Blobs.GetBlobContainerClient(settings.Containers.Archive), false, TagQueryMode.ListAndFilter), walk);
            return interrupting;
        }));
        var s = await SeedAsync(archive);
        var sweep = archive.Services.GetRequiredService<RetentionSweepService>();
        interrupting!.FailAfter = deletesBeforeCrash;

        await Assert.ThrowsAsync<IOException>(() => sweep.RunAsync(Today, Actor, null, Ct));
        interrupting.FailAfter = int.MaxValue;
        await sweep.RunAsync(Today, Actor, null, Ct);

        await AssertFinalStateAsync(archive, s);
    }

    [Fact]
    public async Task A_hold_document_keeps_instances_ingested_after_the_hold_even_though_their_tag_says_unheld()
    {
        using var archive = await LifecycleArchive.CreateAsync(azurite);
        var patient = LifecycleArchive.NewKey();
        await archive.Services.GetRequiredService<LegalHoldService>().PlaceAsync(new LegalHoldRequest(LegalHoldScope.Patient, patient, "CASE-9", "court order"), Actor, null, Ct);
        var study = await archive.SeedStudyAsync(patient, "2020-01-31");
        Assert.Equal("0", await archive.HoldTagAsync(study.StudyKey, study.InstanceKeys[0]));

        var result = await archive.Services.GetRequiredService<RetentionSweepService>().RunAsync(Today, Actor, null, Ct);

        Assert.Equal(1, result.StudiesHeld);
        Assert.Equal(0, result.InstancesDeleted);
        Assert.Contains(await archive.AuditAsync(), e => e.Study?.Value == study.StudyKey && e.Outcome == AuditOutcome.MinorFailure && e.Details.Contains("kept=legal-hold"));
        Assert.Contains(ArchiveNames.Instance(study.StudyKey, study.InstanceKeys[0]), await archive.NamesAsync(archive.Archive));
        Assert.False((await archive.KeyringContainer.GetBlobClient(KeyringNames.Tombstone(study.StudyKey)).ExistsAsync(Ct)).Value);
    }

    [Fact]
    public async Task A_held_instance_tag_keeps_its_whole_expired_study_from_the_walk()
    {
        using var archive = await LifecycleArchive.CreateAsync(azurite);
        Assert.True(archive.Services.GetRequiredService<IArchiveTagIndex>().ListsAllInNameOrder);
        var study = await archive.SeedStudyAsync(LifecycleArchive.NewKey(), "2020-01-31", "2020-01-31");
        var held = await archive.SeedInstanceAsync(study.StudyKey, LifecycleArchive.NewKey(), "2020-01-31", hold: "1");

        var result = await archive.Services.GetRequiredService<RetentionSweepService>().RunAsync(Today, Actor, null, Ct);

        Assert.Equal(1, result.StudiesHeld);
        Assert.Equal(0, result.InstancesDeleted);
        Assert.Equal(0, result.StudiesShredded);
        Assert.Contains(ArchiveNames.Instance(study.StudyKey, held), await archive.NamesAsync(archive.Archive));
        Assert.Equal(3, (await archive.NamesAsync(archive.Archive, "studies/" + study.StudyKey + "/")).Count(n => n.EndsWith(".dcm.enc", StringComparison.Ordinal)));
        Assert.False((await archive.KeyringContainer.GetBlobClient(KeyringNames.Tombstone(study.StudyKey)).ExistsAsync(Ct)).Value);
    }

    [Fact]
    public async Task A_held_blob_in_a_study_folder_that_is_no_instance_still_keeps_the_study_from_the_walk()
    {
        using var archive = await LifecycleArchive.CreateAsync(azurite);
        var study = await archive.SeedStudyAsync(LifecycleArchive.NewKey(), "2020-01-31");
        await archive.Archive.GetBlobClient("studies/" + study.StudyKey + "/stray.bin").UploadAsync(BinaryData.FromString("x"), new global::Azure.Storage.Blobs.Models.BlobUploadOptions
        {
            Tags = new Dictionary<string, string> { [ArchiveMetadata.HoldTag] = "1" },
        }, Ct);

        var result = await archive.Services.GetRequiredService<RetentionSweepService>().RunAsync(Today, Actor, null, Ct);

        Assert.Equal(1, result.StudiesHeld);
        Assert.Equal(0, result.InstancesDeleted);
        Assert.Contains(ArchiveNames.Instance(study.StudyKey, study.InstanceKeys[0]), await archive.NamesAsync(archive.Archive));
    }

    [Fact]
    public async Task The_sweep_pages_through_more_instances_than_one_page_holds()
    {
        using var archive = await LifecycleArchive.CreateAsync(azurite, services => services.AddSingleton(new RetentionSweepOptions { PageSize = 3 }));
        var studies = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            studies.Add((await archive.SeedStudyAsync(LifecycleArchive.NewKey(), "2020-01-31", "2020-01-31", "2021-01-31")).StudyKey);
        }

        var result = await archive.Services.GetRequiredService<RetentionSweepService>().RunAsync(Today, Actor, null, Ct);

        Assert.Equal(12, result.InstancesDeleted);
        Assert.Equal(4, result.StudiesShredded);
        Assert.Empty(await archive.NamesAsync(archive.Archive, "studies/"));
        foreach (var study in studies)
        {
            Assert.True((await archive.KeyringContainer.GetBlobClient(KeyringNames.Tombstone(study)).ExistsAsync(Ct)).Value);
        }
    }

    private static async Task AssertFinalStateAsync(LifecycleArchive archive, Scenario s)
    {
        var names = await archive.NamesAsync(archive.Archive);
        Assert.DoesNotContain(ArchiveNames.Instance(s.Partial.StudyKey, s.Partial.InstanceKeys[0]), names);
        Assert.DoesNotContain(ArchiveNames.IndexRecord(s.Partial.StudyKey, s.Partial.InstanceKeys[0]), names);
        Assert.Contains(ArchiveNames.Instance(s.Partial.StudyKey, s.Partial.InstanceKeys[1]), names);
        Assert.DoesNotContain(names, n => n.Contains(s.Whole.StudyKey, StringComparison.Ordinal));
        Assert.Equal(2, names.Count(n => n.StartsWith("studies/" + s.Held.StudyKey, StringComparison.Ordinal)));
        Assert.Single(names, n => n.StartsWith("studies/" + s.Kept.StudyKey, StringComparison.Ordinal));

        Assert.True((await archive.KeyringContainer.GetBlobClient(KeyringNames.Tombstone(s.Whole.StudyKey)).ExistsAsync(Ct)).Value);
        Assert.False((await archive.KeyringContainer.GetBlobClient(KeyringNames.Study(s.Whole.StudyKey)).ExistsAsync(Ct)).Value);
        Assert.True((await archive.KeyringContainer.GetBlobClient(KeyringNames.Study(s.Partial.StudyKey)).ExistsAsync(Ct)).Value);
        Assert.True((await archive.KeyringContainer.GetBlobClient(KeyringNames.Study(s.Held.StudyKey)).ExistsAsync(Ct)).Value);
        Assert.False((await archive.Research.GetBlobClient(s.ResearchBlob).ExistsAsync(Ct)).Value);
        Assert.Null(await archive.Services.GetRequiredService<IExportLedger>().GetAsync("lung-1", s.Whole.StudyKey, Ct));
        var ex = await Assert.ThrowsAsync<KeyringException>(() => archive.Keyring.GetStudyKeyAsync(s.Whole.StudyKey, Ct));
        Assert.Equal(KeyringFailureReason.StudyShredded, ex.Reason);
    }
}
