using System.Globalization;
using System.Text;
using CloudArchive.Core.Archive;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Crypto;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Ingest.Quarantine;
using CloudArchive.Core.Keys;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Azure.Tests.Ingest.Quarantine;

/// <summary>What the ingest puts in quarantine, against Azurite: encrypted copies under opaque names, tags, reasons without names.</summary>
public sealed class QuarantinePlacementTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => QuarantineArchive.Ct;

    [Fact]
    public async Task A_rejected_upload_is_kept_encrypted_under_an_opaque_name_and_nothing_stored_names_the_upload()
    {
        await using var archive = await QuarantineArchive.CreateAsync(azurite);
        var content = Encoding.ASCII.GetBytes("%PDF-1.4 PLANTED^PATIENT report, not an image");

        var result = await archive.UploadAndIngestAsync("gw/DOE_JOHN_MRN123456.dcm", content);

        Assert.Equal(IngestOutcome.Quarantined, result.Outcome);
        Assert.Equal("quarantine.not-dicom", result.ReasonCode);
        var id = result.QuarantineId!;
        Assert.True(QuarantineNames.IsValidId(id));
        Assert.Equal([QuarantineNames.Copy(id), QuarantineNames.Reason(id)], (await archive.NamesAsync(archive.Quarantine)).Order(StringComparer.Ordinal));
        Assert.Empty(await archive.NamesAsync(archive.Incoming));

        // The copy is ciphertext in the archive's envelope format, under the keyring's quarantine key.
        var copy = archive.Quarantine.GetBlobClient(QuarantineNames.Copy(id));
        var stored = (await copy.DownloadContentAsync(Ct)).Value;
        Assert.DoesNotContain("PLANTED", Encoding.ASCII.GetString(stored.Content.ToArray()), StringComparison.Ordinal);
        Assert.Contains(KeyringNames.QuarantineKeyId, stored.Details.Metadata[CseFormat.EncryptionDataMetadataName], StringComparison.Ordinal);
        Assert.Equal(content, await archive.DecryptCopyAsync(id));

        // Tags for the lifecycle: 30 days by default, no hold; no study is known for an unreadable upload.
        var tags = (await copy.GetTagsAsync(cancellationToken: Ct)).Value.Tags;
        Assert.Equal(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), tags[ArchiveMetadata.RetainUntilTag]);
        Assert.Equal("0", tags[ArchiveMetadata.HoldTag]);
        Assert.False(tags.ContainsKey(ArchiveMetadata.StudyTag));

        var reasonText = (await archive.Quarantine.GetBlobClient(QuarantineNames.Reason(id)).DownloadContentAsync(Ct)).Value.Content.ToString();
        Assert.DoesNotContain("DOE_JOHN", reasonText, StringComparison.Ordinal);
        Assert.DoesNotContain("MRN123456", reasonText, StringComparison.Ordinal);
        var reason = QuarantineRecord.Parse(Encoding.UTF8.GetBytes(reasonText));
        Assert.Equal(("not-dicom", id, QuarantineKeyKinds.Quarantine), (reason.Reason, reason.Id, reason.EncryptedUnder));

        var import = Assert.Single(await archive.AuditAsync(), e => e.EventType == AuditEventType.Import);
        Assert.Equal(id, ImportAuditDetails.QuarantineIdOf(import.Details));
        Assert.Equal(ImportAuditOutcome.Quarantined, ImportAuditDetails.Outcome(import.Details));
    }

    [Fact]
    public async Task A_conflicting_upload_is_encrypted_under_its_study_key_tagged_with_study_and_patient_and_goes_with_a_shred()
    {
        await using var archive = await QuarantineArchive.CreateAsync(azurite);
        var study = QuarantineSamples.NewStudyUid();
        Assert.Equal(IngestOutcome.Archived, (await archive.UploadAndIngestAsync("a.dcm", await QuarantineSamples.InstanceAsync(study, study + ".1.1"))).Outcome);
        var conflicting = await QuarantineSamples.InstanceAsync(study, study + ".1.1", patientId: "OTHERPLANTED");

        var result = await archive.UploadAndIngestAsync("b.dcm", conflicting);

        Assert.Equal("quarantine.conflict", result.ReasonCode);
        var id = result.QuarantineId!;
        var copy = archive.Quarantine.GetBlobClient(QuarantineNames.Copy(id));
        var tags = (await copy.GetTagsAsync(cancellationToken: Ct)).Value.Tags;
        var studyKey = tags[ArchiveMetadata.StudyTag];
        Assert.True(OpaqueKey.IsValid(studyKey));
        Assert.True(OpaqueKey.IsValid(tags[ArchiveMetadata.PatientTag]));
        var metadata = (await copy.GetPropertiesAsync(cancellationToken: Ct)).Value.Metadata;
        Assert.Contains(KeyringNames.StudyKeyId(studyKey), metadata[CseFormat.EncryptionDataMetadataName], StringComparison.Ordinal);
        Assert.Equal(conflicting, await archive.DecryptCopyAsync(id));

        await archive.Keyring.ShredStudyAsync(new ShredRequest(studyKey, "cli:test", "test"), Ct);

        var refused = await Assert.ThrowsAsync<EnvelopeDecryptionException>(() => archive.DecryptCopyAsync(id));
        Assert.Equal(EnvelopeFailureReason.KeyDestroyed, refused.Reason);
    }

    [Fact]
    public async Task Placing_the_same_upload_version_again_reuses_its_id_and_copy_and_keeps_the_first_reason()
    {
        await using var archive = await QuarantineArchive.CreateAsync(azurite);
        var content = Encoding.ASCII.GetBytes("not dicom at all");
        QuarantineRequest Request(QuarantineReason reason) => new()
        {
            Container = archive.Containers.Incoming,
            BlobName = "gw/PLANTED^NAME.dcm",
            ETag = "\"0x8D000000000001\"",
            Content = new MemoryStream(content),
            Length = content.Length,
            Reason = reason,
            Message = "m",
            CorrelationId = "c1",
        };

        var first = await archive.Writer.PlaceAsync(Request(QuarantineReason.NotDicom), Ct);
        var again = await archive.Writer.PlaceAsync(Request(QuarantineReason.IngestFailed), Ct);
        var otherVersion = await archive.Writer.PlaceAsync(Request(QuarantineReason.NotDicom) with { ETag = "\"0x8D000000000002\"" }, Ct);

        Assert.True(first.Created);
        Assert.False(again.Created);
        Assert.Equal(first.Id, again.Id);
        Assert.NotEqual(first.Id, otherVersion.Id);
        Assert.Equal(4, (await archive.NamesAsync(archive.Quarantine)).Count);
        var reason = QuarantineRecord.Parse((await archive.Store.ReadReasonAsync(first.Id, Ct))!.Json.Span);
        Assert.Equal("not-dicom", reason.Reason);
    }

    [Fact]
    public async Task A_new_instance_of_a_shredded_study_is_deleted_and_audited_and_never_kept()
    {
        await using var archive = await QuarantineArchive.CreateAsync(azurite);
        var study = QuarantineSamples.NewStudyUid();
        var first = await archive.UploadAndIngestAsync("a.dcm", await QuarantineSamples.InstanceAsync(study, study + ".1.1"));
        var studyKey = (await archive.AuditAsync()).Single(e => e.EventType == AuditEventType.Import).Study!.Value.Value;
        await archive.Keyring.ShredStudyAsync(new ShredRequest(studyKey, "cli:test", "test"), Ct);

        var result = await archive.UploadAndIngestAsync("gw/DOE_JOHN.dcm", await QuarantineSamples.InstanceAsync(study, study + ".1.2"));

        Assert.Equal(IngestOutcome.Discarded, result.Outcome);
        Assert.Equal("discarded.study-shredded", result.ReasonCode);
        Assert.Empty(await archive.NamesAsync(archive.Incoming));
        Assert.Empty(await archive.NamesAsync(archive.Quarantine));
        var audit = await archive.AuditAsync();
        var deletion = Assert.Single(audit, e => e.EventType == AuditEventType.StudyDeleted && e.Details.Contains(ImportAuditDetails.Discarded));
        Assert.Equal(AuditAction.Delete, deletion.Action);
        Assert.Equal(studyKey, deletion.Study!.Value.Value);
        Assert.Contains("reason=study-shredded", deletion.Details);
        var import = audit.Last(e => e.EventType == AuditEventType.Import);
        Assert.Equal(ImportAuditOutcome.Discarded, ImportAuditDetails.Outcome(import.Details));
        Assert.NotEqual(first.InstanceKey, result.InstanceKey);
    }

    [Fact]
    public async Task A_quarantine_placed_by_the_timers_goes_through_the_same_writer_audits_and_removes_the_upload()
    {
        await using var archive = await QuarantineArchive.CreateAsync(azurite);
        var content = await QuarantineSamples.InstanceAsync(QuarantineSamples.NewStudyUid(), "1.2.3.4");
        await archive.Incoming.UploadBlobAsync("stale/PLANTED.dcm", BinaryData.FromBytes(content), Ct);
        var quarantiner = new UploadQuarantiner(
            new CloudArchive.Azure.Ingest.BlobIncomingStore(new global::Azure.Storage.Blobs.BlobServiceClient(azurite.ConnectionString, new global::Azure.Storage.Blobs.BlobClientOptions(Interop.InteropArchive.Version)), new CloudArchive.Azure.Storage.StorageOptions()),
            archive.Writer,
            new AuditLogWriter(new CloudArchive.Azure.Audit.BlobAuditLogStore(archive.Container(archive.Containers.Audit)), "quarantine-test", TimeProvider.System));

        var result = await quarantiner.QuarantineAsync(archive.Containers.Incoming, "stale/PLANTED.dcm", QuarantineReason.IngestFailed, "The ingest failed 5 times; see the poison queue.", "corr-1", Ct);
        var again = await quarantiner.QuarantineAsync(archive.Containers.Incoming, "stale/PLANTED.dcm", QuarantineReason.IngestFailed, "again", "corr-2", Ct);

        Assert.Equal("quarantine.ingest-failed", result.ReasonCode);
        Assert.Equal(IngestOutcome.AlreadyHandled, again.Outcome);
        Assert.Empty(await archive.NamesAsync(archive.Incoming));
        Assert.Equal(content, await archive.DecryptCopyAsync(result.QuarantineId!));
        var import = Assert.Single(await archive.AuditAsync(), e => e.EventType == AuditEventType.Import);
        Assert.Contains("reason=ingest-failed", import.Details);
        Assert.Equal(result.QuarantineId, ImportAuditDetails.QuarantineIdOf(import.Details));
    }
}
