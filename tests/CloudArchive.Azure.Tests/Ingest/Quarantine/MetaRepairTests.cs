using CloudArchive.Core.Archive;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Crypto;
using CloudArchive.Core.Ingest;
using CloudArchive.Dicom;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Azure.Tests.Ingest.Quarantine;

/// <summary>
/// Clinically valid instances whose File Meta disagrees with the data set (pydicom's rtplan and rtdose_expb, held out
/// in testdata/heldout) are archived with a meta rebuilt from the data set, and the repair is recorded; with the
/// setting off they are quarantined as before. Against Azurite.
/// </summary>
public sealed class MetaRepairTests(AzuriteFixture azurite)
{
    private static readonly DicomTag MediaStorageSopInstanceUid = DicomTag.Parse("(0002,0003)");

    private static CancellationToken Ct => QuarantineArchive.Ct;

    [Theory]
    [InlineData("rtplan.dcm")]
    [InlineData("rtdose_expb.dcm")]
    public async Task A_file_meta_that_names_another_instance_is_rebuilt_from_the_data_set_and_the_repair_is_audited_and_indexed(string file)
    {
        await using var archive = await QuarantineArchive.CreateAsync(azurite);
        var upload = QuarantineSamples.HeldOut(file);

        var result = await archive.UploadAndIngestAsync("gw/" + file, upload);

        Assert.Equal(IngestOutcome.Archived, result.Outcome);
        Assert.Equal([MetaRepairs.SopInstanceUid], result.MetaRepairs);
        Assert.Empty(await archive.NamesAsync(archive.Quarantine));

        // The archived plaintext: the same data set (same SOP Instance UID), its meta now agreeing with it.
        var name = (await archive.NamesAsync(archive.Archive)).Single(n => n.EndsWith("/" + result.InstanceKey + ".dcm.enc", StringComparison.Ordinal));
        var stored = (await archive.Archive.GetBlobClient(name).DownloadContentAsync(Ct)).Value;
        await using var plain = await new EnvelopeDecryptor(archive.Keyring.StudyKeyResolver).OpenReadAsync(stored.Content.ToStream(), new Dictionary<string, string>(stored.Details.Metadata), name, stored.Details.ContentLength, cancellationToken: Ct);
        var buffer = new MemoryStream();
        await plain.CopyToAsync(buffer, Ct);
        buffer.Position = 0;
        await using var archived = await DicomFile.ReadAsync(buffer, cancellationToken: Ct);
        await using var original = await DicomFile.ReadAsync(new MemoryStream(upload), cancellationToken: Ct);
        var sop = original.Dataset.GetString(DicomTags.SOPInstanceUID);
        Assert.Equal(sop, archived.Dataset.GetString(DicomTags.SOPInstanceUID));
        Assert.Equal(sop, archived.FileMetaInformation.GetString(MediaStorageSopInstanceUid)?.TrimEnd('\0'));
        Assert.NotEqual(sop, original.FileMetaInformation.GetString(MediaStorageSopInstanceUid)?.TrimEnd('\0'));
        Assert.Equal(original.TransferSyntax.Uid, archived.TransferSyntax.Uid);
        Assert.Equal(original.Dataset.Count, archived.Dataset.Count);

        var import = Assert.Single(await archive.AuditAsync(), e => e.EventType == AuditEventType.Import);
        Assert.Contains(ImportAuditDetails.MetaRepaired(MetaRepairs.SopInstanceUid), import.Details);
        Assert.Equal([MetaRepairs.SopInstanceUid], ImportAuditDetails.MetaRepairsOf(import.Details));
        var record = await new InstanceIndexReader(archive.ArchiveStore, archive.Keyring).ReadAsync(name.Split('/')[1], result.InstanceKey!, Ct);
        Assert.Equal([MetaRepairs.SopInstanceUid], record!.MetaRepairs);
    }

    [Fact]
    public async Task With_repair_off_a_meta_mismatch_is_quarantined_as_before()
    {
        await using var archive = await QuarantineArchive.CreateAsync(azurite, new Dictionary<string, string> { ["CloudArchive:Ingest:RepairFileMeta"] = "false" });

        var result = await archive.UploadAndIngestAsync("gw/rtplan.dcm", QuarantineSamples.HeldOut("rtplan.dcm"));

        Assert.Equal("quarantine.meta-mismatch", result.ReasonCode);
        Assert.Empty(await archive.NamesAsync(archive.Archive));
        Assert.Equal(QuarantineSamples.HeldOut("rtplan.dcm"), await archive.DecryptCopyAsync(result.QuarantineId!));
    }
}
