using System.Text;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Ingest.Quarantine;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Azure.Tests.Ingest.Quarantine;

/// <summary>list, show, retry and release as composed, against Azurite: each audited, retry streams back to incoming, release respects holds.</summary>
public sealed class QuarantineOperationsTests(AzuriteFixture azurite)
{
    private static readonly AuditActor Operator = new("cli:cloudarchive", app: "cloudarchive-cli", role: "operator");

    private static CancellationToken Ct => QuarantineArchive.Ct;

    [Fact]
    public async Task List_shows_ids_reasons_and_ages_newest_first_and_is_audited_as_a_query()
    {
        await using var archive = await QuarantineArchive.CreateAsync(azurite);
        var first = (await archive.UploadAndIngestAsync("gw/DOE_JOHN_MRN123456.dcm", [])).QuarantineId!;
        var second = (await archive.UploadAndIngestAsync("gw/other.dcm", Encoding.ASCII.GetBytes("text"))).QuarantineId!;

        var entries = await archive.Operations.ListAsync(Operator, Ct);

        Assert.Equal([second, first], entries.Select(e => e.Id));
        Assert.Equal(["not-dicom", "empty"], entries.Select(e => e.Record!.Reason));
        Assert.All(entries, e => Assert.InRange(e.Age!.Value, TimeSpan.Zero, TimeSpan.FromMinutes(5)));
        var query = Assert.Single(await archive.AuditAsync(), e => e.EventType == AuditEventType.Query);
        Assert.Contains(QuarantineAuditDetails.Listed, query.Details);
        Assert.Contains("count=2", query.Details);
    }

    [Fact]
    public async Task Show_decrypts_the_copy_for_non_phi_header_facts_and_is_audited_as_access()
    {
        await using var archive = await QuarantineArchive.CreateAsync(azurite, new Dictionary<string, string> { ["CloudArchive:Ingest:AllowedSopClasses"] = "1.2.840.10008.5.1.4.1.1.4" });
        var study = QuarantineSamples.NewStudyUid();
        var id = (await archive.UploadAndIngestAsync("ct.dcm", await QuarantineSamples.InstanceAsync(study, study + ".9"))).QuarantineId!;

        var (entry, facts) = await archive.Operations.ShowAsync(id, Operator, Ct);

        Assert.Equal("sop-class-not-allowed", entry.Record!.Reason);
        Assert.True(facts.Part10);
        Assert.Null(facts.ReadProblem);
        Assert.Equal("1.2.840.10008.5.1.4.1.1.2", facts.SopClassUid);
        Assert.Equal("CT", facts.Modality);
        Assert.Equal(entry.Record.StudyKey, facts.StudyKey);
        Assert.Equal(entry.Record.InstanceKey, facts.InstanceKey);
        var access = Assert.Single(await archive.AuditAsync(), e => e.EventType == AuditEventType.InstancesAccessed);
        Assert.Equal(AuditAction.Read, access.Action);
        Assert.Contains(ImportAuditDetails.QuarantineIdPrefix + id, access.Details);
    }

    [Fact]
    public async Task Retry_streams_the_upload_back_into_incoming_under_an_opaque_name_marks_the_reason_and_drops_the_copy()
    {
        await using var archive = await QuarantineArchive.CreateAsync(azurite, new Dictionary<string, string> { ["CloudArchive:Ingest:AllowedSopClasses"] = "1.2.840.10008.5.1.4.1.1.4" });
        var study = QuarantineSamples.NewStudyUid();
        var upload = await QuarantineSamples.InstanceAsync(study, study + ".9");
        var id = (await archive.UploadAndIngestAsync("gw/DOE_JOHN.dcm", upload)).QuarantineId!;

        var incoming = await archive.Operations.RetryAsync(id, Operator, Ct);
        var again = await archive.Operations.RetryAsync(id, Operator, Ct);

        Assert.Equal("retry/" + id + ".dcm", incoming);
        Assert.Equal(incoming, again);
        Assert.Equal([incoming], await archive.NamesAsync(archive.Incoming));
        Assert.Equal(upload, (await archive.Incoming.GetBlobClient(incoming).DownloadContentAsync(Ct)).Value.Content.ToArray());
        Assert.Null(await archive.Store.OpenCopyAsync(id, Ct));
        var record = (await archive.Operations.ListAsync(Operator, Ct)).Single().Record!;
        Assert.NotNull(record.RetriedAt);
        Assert.Equal(incoming, record.RetriedAs);
        var shown = await Assert.ThrowsAsync<QuarantineException>(() => archive.Operations.ShowAsync(id, Operator, Ct));
        Assert.Equal(QuarantineFailureReason.CopyGone, shown.Reason);
        var transfer = Assert.Single(await archive.AuditAsync(), e => e.EventType == AuditEventType.InstancesTransferred);
        Assert.Contains(QuarantineAuditDetails.Retried, transfer.Details);

        // The retried upload goes through the ingest like any other (still refused here: a new id, the same reason).
        var rerun = await archive.IngestAsync(incoming);
        Assert.Equal("quarantine.sop-class-not-allowed", rerun.ReasonCode);
        Assert.NotEqual(id, rerun.QuarantineId);
    }

    [Fact]
    public async Task Release_deletes_copy_and_reason_with_an_audited_reason_and_is_refused_and_audited_under_legal_hold()
    {
        await using var archive = await QuarantineArchive.CreateAsync(azurite);
        var free = await QuarantineLifecycleTests.PlaceAsync(archive, "f", "ffffffffffffffffffffffffff");
        var held = await QuarantineLifecycleTests.PlaceAsync(archive, "h", "hhhhhhhhhhhhhhhhhhhhhhhhhh");
        await QuarantineLifecycleTests.HoldStudyAsync(archive, "hhhhhhhhhhhhhhhhhhhhhhhhhh");

        await archive.Operations.ReleaseAsync(free, "test-upload", Operator, Ct);
        var refused = await Assert.ThrowsAsync<QuarantineException>(() => archive.Operations.ReleaseAsync(held, "test-upload", Operator, Ct));
        var missing = await Assert.ThrowsAsync<QuarantineException>(() => archive.Operations.ReleaseAsync(free, "test-upload", Operator, Ct));

        Assert.Equal(QuarantineFailureReason.LegalHold, refused.Reason);
        Assert.Equal(QuarantineFailureReason.NotFound, missing.Reason);
        Assert.Equal([QuarantineNames.Copy(held), QuarantineNames.Reason(held)], (await archive.NamesAsync(archive.Quarantine)).Order(StringComparer.Ordinal));
        var audit = await archive.AuditAsync();
        var release = Assert.Single(audit, e => e.Details.Contains(QuarantineAuditDetails.Released));
        Assert.Equal((AuditEventType.StudyDeleted, AuditAction.Delete), (release.EventType, release.Action));
        Assert.Contains(QuarantineAuditDetails.WhyPrefix + "test-upload", release.Details);
        var alert = Assert.Single(audit, e => e.Details.Contains(QuarantineAuditDetails.ReleaseRefused));
        Assert.Equal(AuditEventType.SecurityAlert, alert.EventType);
    }
}
