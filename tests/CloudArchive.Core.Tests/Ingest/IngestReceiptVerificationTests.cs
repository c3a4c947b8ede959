using CloudArchive.Core.Archive;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Ingest;
using Xunit;

namespace CloudArchive.Core.Tests.Ingest;

/// <summary>
/// A single-region instance written in one request is verified against the service's hash of the committed content
/// and decrypted in process (no read-back); its index record travels sealed in the blob's metadata.
/// </summary>
public sealed class IngestReceiptVerificationTests : IDisposable
{
    private const string Study = "1.2.826.0.1.3680043.8.498.77";
    private readonly IngestHarness _h = new();

    public IngestReceiptVerificationTests() => _h.Storage.ReportContentMd5 = true;

    [Fact]
    public async Task A_single_region_instance_with_a_matching_receipt_is_archived_without_reading_it_back()
    {
        var upload = await IngestHarness.InstanceAsync(Study, Study + ".1.1", withAddress: true);
        _h.Storage.Upload("a.dcm", upload);

        var result = await _h.IngestAsync("a.dcm");

        Assert.Equal(IngestOutcome.Archived, result.Outcome);
        Assert.Empty(_h.Storage.RangeReads);
        Assert.Empty(_h.Storage.Incoming);
        var name = _h.InstanceBlob();
        Assert.Single(_h.Storage.Archive);
        var record = await new InstanceIndexReader(_h.Storage, _h.Keyring).ReadAsync(name.Split('/')[1], result.InstanceKey!, IngestHarness.Ct);
        Assert.NotNull(record);
        Assert.Equal(result.InstanceKey, record.InstanceKey);
        Assert.Contains("(0010,1040)", record.RemovedPaths);
        var audit = Assert.Single(_h.AuditRecords());
        Assert.Contains("archived", audit.Event.Details);
    }

    [Fact]
    public async Task Committed_content_that_differs_from_what_was_sent_is_quarantined_and_withdrawn_from_the_index()
    {
        var upload = await IngestHarness.InstanceAsync(Study, Study + ".2.1");
        _h.Storage.Upload("b.dcm", upload);
        _h.Storage.CorruptNextCreate = true;

        var result = await _h.IngestAsync("b.dcm");

        Assert.Equal(IngestOutcome.Quarantined, result.Outcome);
        Assert.Equal("quarantine.verification-failed", result.ReasonCode);
        Assert.Equal(upload, await _h.QuarantinedCopyAsync(result.QuarantineId));
        var name = _h.InstanceBlob();
        Assert.DoesNotContain(InstanceIndex.SealedMetadataName, _h.Storage.Archive[name].Metadata.Keys);
        Assert.Null(await new InstanceIndexReader(_h.Storage, _h.Keyring).ReadAsync(name.Split('/')[1], name.Split('/')[2][..^".dcm.enc".Length], IngestHarness.Ct));
        var alert = _h.AuditRecords()[0];
        Assert.Equal(AuditEventType.SecurityAlert, alert.Event.EventType);
        Assert.Empty(_h.Storage.RangeReads);
    }

    [Fact]
    public async Task A_multi_region_instance_is_read_back_although_the_store_reports_a_hash_and_indexed_only_after()
    {
        using var h = new IngestHarness(new IngestOptions { EncryptionRegionLength = 4096 });
        h.Storage.ReportContentMd5 = true;
        var upload = await IngestHarness.InstanceAsync(Study, Study + ".3.1");
        h.Storage.Upload("m.dcm", upload);

        var result = await h.IngestAsync("m.dcm");

        Assert.Equal(IngestOutcome.Archived, result.Outcome);
        Assert.Equal(2, h.Storage.RangeReads.Count);

        // Its index record is written beside it once verified, not sealed into the blob committed before verification.
        var name = h.InstanceBlob();
        Assert.DoesNotContain(InstanceIndex.SealedMetadataName, h.Storage.Archive[name].Metadata.Keys);
        var studyKey = name.Split('/')[1];
        Assert.Contains(ArchiveNames.IndexRecord(studyKey, result.InstanceKey!), h.Storage.Archive.Keys);
        var record = await new InstanceIndexReader(h.Storage, h.Keyring).ReadAsync(studyKey, result.InstanceKey!, IngestHarness.Ct);
        Assert.Equal(result.InstanceKey, record?.InstanceKey);
    }

    [Fact]
    public async Task A_later_re_upload_of_the_same_file_to_the_same_name_is_a_duplicate_not_a_resume()
    {
        var upload = await IngestHarness.InstanceAsync(Study, Study + ".4.1");
        _h.Storage.Upload("same.dcm", upload);
        Assert.Equal(IngestOutcome.Archived, (await _h.IngestAsync("same.dcm")).Outcome);

        _h.Storage.Upload("same.dcm", upload);
        var again = await _h.IngestAsync("same.dcm");

        Assert.Equal(IngestOutcome.Duplicate, again.Outcome);
        Assert.Empty(_h.Storage.Incoming);
        Assert.Equal(["archived", "duplicate"], _h.AuditRecords().Select(r => r.Event.Details.Contains("archived") ? "archived" : r.Event.Details[0]));
    }

    public void Dispose() => _h.Dispose();
}
