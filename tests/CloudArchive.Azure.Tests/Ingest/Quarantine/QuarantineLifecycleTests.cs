using System.Text;
using CloudArchive.Core.Archive;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Ingest.Quarantine;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Azure.Tests.Ingest.Quarantine;

/// <summary>
/// The lifecycle port the retention engineer calls (shred/erasure: <see cref="IQuarantineLifecycle.DeleteStudyAsync"/>;
/// the daily sweep: <see cref="IQuarantineLifecycle.DeleteExpiredAsync"/>), as composed, against Azurite's tag queries.
/// </summary>
public sealed class QuarantineLifecycleTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => QuarantineArchive.Ct;

    [Fact]
    public async Task Deleting_a_study_removes_its_copies_and_reasons_only_audits_each_and_a_rerun_finds_nothing()
    {
        await using var archive = await QuarantineArchive.CreateAsync(azurite);
        var a = await PlaceAsync(archive, "a1", "aaaaaaaaaaaaaaaaaaaaaaaaaa");
        await PlaceAsync(archive, "a2", "aaaaaaaaaaaaaaaaaaaaaaaaaa");
        var b = await PlaceAsync(archive, "b1", "bbbbbbbbbbbbbbbbbbbbbbbbbb");
        var none = await PlaceAsync(archive, "n1", null);

        Assert.Equal(2, await archive.Lifecycle.DeleteStudyAsync("aaaaaaaaaaaaaaaaaaaaaaaaaa", Ct));
        Assert.Equal(0, await archive.Lifecycle.DeleteStudyAsync("aaaaaaaaaaaaaaaaaaaaaaaaaa", Ct));

        var left = (await archive.NamesAsync(archive.Quarantine)).Select(QuarantineNames.IdOf).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(new[] { b, none }.Order(StringComparer.Ordinal), left);
        var deletions = (await archive.AuditAsync()).Where(e => e.Details.Contains(QuarantineAuditDetails.Deleted)).ToList();
        Assert.Equal(2, deletions.Count);
        Assert.All(deletions, e => Assert.Equal((AuditEventType.StudyDeleted, AuditAction.Delete, "aaaaaaaaaaaaaaaaaaaaaaaaaa"), (e.EventType, e.Action, e.Study!.Value.Value)));
        Assert.Contains(deletions, e => e.Details.Contains(ImportAuditDetails.QuarantineIdPrefix + a));
    }

    [Fact]
    public async Task A_study_under_legal_hold_keeps_its_quarantine_copies()
    {
        await using var archive = await QuarantineArchive.CreateAsync(azurite);
        var id = await PlaceAsync(archive, "h1", "hhhhhhhhhhhhhhhhhhhhhhhhhh");
        await HoldStudyAsync(archive, "hhhhhhhhhhhhhhhhhhhhhhhhhh");

        Assert.Equal(0, await archive.Lifecycle.DeleteStudyAsync("hhhhhhhhhhhhhhhhhhhhhhhhhh", Ct));
        Assert.Equal(0, await archive.Lifecycle.DeleteExpiredAsync(DateTimeOffset.UtcNow.AddDays(400), Ct));

        Assert.NotNull(await archive.Store.OpenCopyAsync(id, Ct) is { } copy ? copy : null);
    }

    [Fact]
    public async Task The_sweep_deletes_what_is_past_its_date_keeps_what_is_not_and_what_carries_a_hold_tag()
    {
        await using var archive = await QuarantineArchive.CreateAsync(azurite);
        var old = await PlaceAsync(archive, "o1", "oooooooooooooooooooooooooo");
        var unattributed = await PlaceAsync(archive, "o2", null);
        var tagged = await PlaceAsync(archive, "o3", null);
        foreach (var name in new[] { QuarantineNames.Copy(tagged), QuarantineNames.Reason(tagged) })
        {
            var blob = archive.Quarantine.GetBlobClient(name);
            var tags = (await blob.GetTagsAsync(cancellationToken: Ct)).Value.Tags;
            tags[ArchiveMetadata.HoldTag] = "1";
            await blob.SetTagsAsync(tags, cancellationToken: Ct);
        }

        // 30 days by default: on day 30 everything is still kept ("at least until the end of this date").
        Assert.Equal(0, await archive.Lifecycle.DeleteExpiredAsync(DateTimeOffset.UtcNow.AddDays(30), Ct));
        Assert.Equal(2, await archive.Lifecycle.DeleteExpiredAsync(DateTimeOffset.UtcNow.AddDays(31), Ct));
        Assert.Equal(0, await archive.Lifecycle.DeleteExpiredAsync(DateTimeOffset.UtcNow.AddDays(31), Ct));

        Assert.Equal([QuarantineNames.Copy(tagged), QuarantineNames.Reason(tagged)], (await archive.NamesAsync(archive.Quarantine)).Order(StringComparer.Ordinal));
        var causes = (await archive.AuditAsync()).Where(e => e.Details.Contains(QuarantineAuditDetails.Deleted)).ToList();
        Assert.Equal(2, causes.Count);
        Assert.All(causes, e => Assert.Contains(QuarantineAuditDetails.CausePrefix + "retention-expired", e.Details));
        Assert.Contains(causes, e => e.Details.Contains(ImportAuditDetails.QuarantineIdPrefix + old));
        Assert.Contains(causes, e => e.Details.Contains(ImportAuditDetails.QuarantineIdPrefix + unattributed));
    }

    [Fact]
    public async Task The_retention_of_quarantine_copies_is_a_setting()
    {
        await using var archive = await QuarantineArchive.CreateAsync(azurite, new Dictionary<string, string> { ["CloudArchive:Ingest:QuarantineRetentionDays"] = "2" });
        await PlaceAsync(archive, "s1", null);

        Assert.Equal(0, await archive.Lifecycle.DeleteExpiredAsync(DateTimeOffset.UtcNow.AddDays(2), Ct));
        Assert.Equal(1, await archive.Lifecycle.DeleteExpiredAsync(DateTimeOffset.UtcNow.AddDays(3), Ct));
    }

    /// <summary>Places an upload through the composed writer (a study key when given) and returns its id.</summary>
    internal static async Task<string> PlaceAsync(QuarantineArchive archive, string name, string? studyKey)
    {
        var content = Encoding.ASCII.GetBytes("upload " + name);
        var placed = await archive.Writer.PlaceAsync(
            new QuarantineRequest
            {
                Container = archive.Containers.Incoming,
                BlobName = name,
                ETag = "\"0x1\"",
                Content = new MemoryStream(content),
                Length = content.Length,
                Reason = studyKey is null ? QuarantineReason.NotDicom : QuarantineReason.Conflict,
                Message = "test",
                CorrelationId = "c",
                StudyKey = studyKey,
                PatientPseudonym = studyKey is null ? null : "pppppppppppppppppppppppppp",
            },
            Ct);
        return placed.Id;
    }

    /// <summary>Puts a study under legal hold the way the archive records it: an archive blob of the study tagged <c>ca_hold=1</c>.</summary>
    internal static async Task HoldStudyAsync(QuarantineArchive archive, string studyKey)
    {
        var blob = archive.Archive.GetBlobClient($"studies/{studyKey}/holdmarkerinstanceaaaaaaaa.dcm.enc");
        await blob.UploadAsync(BinaryData.FromString("x"), new global::Azure.Storage.Blobs.Models.BlobUploadOptions
        {
            Tags = new Dictionary<string, string> { [ArchiveMetadata.StudyTag] = studyKey, [ArchiveMetadata.HoldTag] = "1" },
        }, Ct);
    }
}
