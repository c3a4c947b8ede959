using System.Text;
using System.Text.Json;
using CloudArchive.Core.Archive;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Ingest;
using CloudArchive.Dicom;
using Xunit;

namespace CloudArchive.Core.Tests.Ingest;

public sealed class IngestServiceTests : IDisposable
{
    private const string Study = "1.2.826.0.1.3680043.8.498.1";
    private readonly IngestHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task An_instance_with_nothing_to_minimize_is_archived_byte_identical_tagged_audited_indexed_and_the_upload_deleted()
    {
        var upload = await IngestHarness.InstanceAsync(Study, Study + ".1.1");
        _h.Storage.Upload("dir/PLANTED^NAME.dcm", upload);

        var result = await _h.IngestAsync("dir/PLANTED^NAME.dcm");

        Assert.Equal(IngestOutcome.Archived, result.Outcome);
        Assert.Empty(_h.Storage.Incoming);
        var name = _h.InstanceBlob();
        Assert.Matches("^studies/[a-z2-7]{26}/[a-z2-7]{26}\\.dcm\\.enc$", name);
        Assert.EndsWith("/" + result.InstanceKey + ".dcm.enc", name);
        Assert.Equal(upload, await _h.DecryptArchivedAsync(name));

        var (_, metadata, tags) = _h.Storage.Archive[name];
        Assert.Equal(["ca_accession", "ca_hold", "ca_patient", "ca_retain_until", "ca_series", "ca_study"], tags.Keys.Order(StringComparer.Ordinal));
        Assert.Matches("^([a-z2-7]{26}|none)$", tags["ca_accession"]);
        Assert.Matches("^[a-z2-7]{26}$", tags["ca_series"]);
        Assert.Equal("0", tags["ca_hold"]);
        Assert.Matches("^[a-z2-7]{26}$", tags["ca_patient"]);
        Assert.Matches("^\\d{4}-\\d{2}-\\d{2}$", tags["ca_retain_until"]);
        Assert.Contains("encryptiondata", metadata.Keys);
        Assert.Equal(upload.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), metadata["ca_plainlength"]);
        Assert.Equal(metadata[ArchiveMetadata.UploadMac], metadata[ArchiveMetadata.PlainMac]);

        var audit = Assert.Single(_h.AuditRecords());
        Assert.Equal(AuditEventType.Import, audit.Event.EventType);
        Assert.Equal(AuditOutcome.Success, audit.Event.Outcome);
        Assert.Equal(result.InstanceKey, audit.Event.Instance?.Value);
        Assert.Equal(tags["ca_study"], audit.Event.Study?.Value);
        Assert.Equal(tags["ca_patient"], audit.Event.Patient?.Value);
        Assert.Contains("unchanged", audit.Event.Details);

        var index = new InstanceIndexReader(_h.Storage, _h.Keyring);
        var record = await index.ReadAsync(tags["ca_study"], result.InstanceKey!, IngestHarness.Ct);
        Assert.NotNull(record);
        Assert.Equal("CT", record.Modality);
        Assert.Equal(tags["ca_patient"], record.PatientPseudonym);
        // The tag is the exact date rounded up to the end of its month (it must not reveal the exam date); the record keeps it exact.
        Assert.Equal(CloudArchive.Core.Retention.RetainUntilTag.ToTag(record.RetainUntil), tags["ca_retain_until"]);
        Assert.EndsWith(DateTime.DaysInMonth(int.Parse(record.RetainUntil[..4]), int.Parse(record.RetainUntil[5..7])).ToString("00"), tags["ca_retain_until"], StringComparison.Ordinal);
        Assert.Empty(record.RemovedPaths);
        Assert.Equal(upload.Length, record.ArchivedLength);
    }

    [Fact]
    public async Task A_minimized_instance_loses_only_the_listed_attribute_and_keeps_pixel_data_byte_identical()
    {
        var upload = await IngestHarness.InstanceAsync(Study, Study + ".1.2", withAddress: true);
        _h.Storage.Upload("a.dcm", upload);

        var result = await _h.IngestAsync("a.dcm");

        Assert.Equal(IngestOutcome.Archived, result.Outcome);
        var plain = await _h.DecryptArchivedAsync(_h.InstanceBlob());
        Assert.NotEqual(upload, plain);
        Assert.DoesNotContain("PLANTED STREET", Encoding.ASCII.GetString(plain), StringComparison.Ordinal);
        await using var original = await DicomFile.ReadAsync(new MemoryStream(upload), cancellationToken: IngestHarness.Ct);
        await using var archived = await DicomFile.ReadAsync(new MemoryStream(plain), cancellationToken: IngestHarness.Ct);
        Assert.False(archived.Dataset.Contains(IngestHarness.PatientAddress));
        Assert.Equal(original.TransferSyntax.Uid, archived.TransferSyntax.Uid);
        Assert.Equal(original.Dataset.Count - 1, archived.Dataset.Count);
        Assert.Equal(
            ((DicomValueElement)original.Dataset[DicomTags.PixelData]).GetBytes(),
            ((DicomValueElement)archived.Dataset[DicomTags.PixelData]).GetBytes());
        Assert.Contains("minimized", Assert.Single(_h.AuditRecords()).Event.Details);
        var (_, metadata, tags) = _h.Storage.Archive[_h.InstanceBlob()];
        Assert.NotEqual(metadata[ArchiveMetadata.UploadMac], metadata[ArchiveMetadata.PlainMac]);
        var record = await new InstanceIndexReader(_h.Storage, _h.Keyring).ReadAsync(tags["ca_study"], result.InstanceKey!, IngestHarness.Ct);
        Assert.Equal(["(0010,1040)"], record!.RemovedPaths);
    }

    [Fact]
    public async Task An_exact_re_upload_is_a_duplicate_and_leaves_the_archive_untouched()
    {
        var upload = await IngestHarness.InstanceAsync(Study, Study + ".1.3");
        _h.Storage.Upload("a.dcm", upload);
        await _h.IngestAsync("a.dcm");
        var before = _h.Storage.Archive[_h.InstanceBlob()].Content;
        _h.Storage.Upload("b.dcm", upload);

        var result = await _h.IngestAsync("b.dcm");

        Assert.Equal(IngestOutcome.Duplicate, result.Outcome);
        Assert.Empty(_h.Storage.Incoming);
        Assert.Same(before, _h.Storage.Archive[_h.InstanceBlob()].Content);
        var records = _h.AuditRecords();
        Assert.Equal(2, records.Count);
        Assert.Contains("duplicate", records[1].Event.Details);
    }

    [Fact]
    public async Task Different_content_under_an_archived_sop_instance_uid_is_quarantined_as_a_conflict_and_never_overwrites()
    {
        _h.Storage.Upload("a.dcm", await IngestHarness.InstanceAsync(Study, Study + ".1.4"));
        await _h.IngestAsync("a.dcm");
        var before = _h.Storage.Archive[_h.InstanceBlob()].Content;
        var other = await IngestHarness.InstanceAsync(Study, Study + ".1.4", patientId: "OTHERPLANTED");
        _h.Storage.Upload("a.dcm", other);

        var result = await _h.IngestAsync("a.dcm");

        Assert.Equal(IngestOutcome.Quarantined, result.Outcome);
        Assert.Equal("quarantine.conflict", result.ReasonCode);
        Assert.Same(before, _h.Storage.Archive[_h.InstanceBlob()].Content);
        Assert.Equal(other, await _h.QuarantinedCopyAsync(result.QuarantineId));
        var reason = _h.QuarantineReason(result.QuarantineId);
        Assert.Equal("conflict", reason.GetProperty("reason").GetString());
        Assert.Contains(result.InstanceKey!, reason.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(_h.Storage.Incoming);
        var failure = _h.AuditRecords()[^1];
        Assert.Equal(AuditOutcome.MinorFailure, failure.Event.Outcome);
        Assert.Contains("reason=conflict", failure.Event.Details);
    }

    public static TheoryData<string, string> BrokenUploads() => new()
    {
        { "empty", "empty" },
        { "text", "not-dicom" },
        { "truncated-pixel-data", "dicom-format" },
        { "dataset-without-meta", "not-part10" },
        { "missing-sop-instance-uid", "missing-attribute" },
        { "uid-with-leading-zero", "invalid-uid" },
        { "uid-too-long", "invalid-uid" },
    };

    [Theory]
    [MemberData(nameof(BrokenUploads))]
    public async Task Bad_input_is_quarantined_with_a_precise_reason_and_nothing_else_happens(string kind, string expectedCode)
    {
        var bytes = await BrokenAsync(kind);
        _h.Storage.Upload("in/PLANTED^NAME.dcm", bytes);

        var result = await _h.IngestAsync("in/PLANTED^NAME.dcm");

        Assert.Equal(IngestOutcome.Quarantined, result.Outcome);
        Assert.Equal("quarantine." + expectedCode, result.ReasonCode);
        Assert.Empty(_h.Storage.Incoming);
        Assert.Empty(_h.Storage.Archive);
        Assert.Equal(bytes, await _h.QuarantinedCopyAsync(result.QuarantineId));
        var reasonText = _h.QuarantineReasonText(result.QuarantineId);
        Assert.DoesNotContain("PLANTED", reasonText, StringComparison.Ordinal);
        var reason = JsonDocument.Parse(reasonText).RootElement;
        Assert.Equal(expectedCode, reason.GetProperty("reason").GetString());
        Assert.False(string.IsNullOrWhiteSpace(reason.GetProperty("message").GetString()));
        var audit = Assert.Single(_h.AuditRecords());
        Assert.Equal(AuditEventType.Import, audit.Event.EventType);
        Assert.Contains("reason=" + expectedCode, audit.Event.Details);
    }

    [Fact]
    public async Task A_truncation_reason_names_the_offset_and_the_element()
    {
        _h.Storage.Upload("t.dcm", await BrokenAsync("truncated-pixel-data"));

        await _h.IngestAsync("t.dcm");

        var message = _h.QuarantineReason().GetProperty("message").GetString();
        Assert.StartsWith("DicomFormat: ", message, StringComparison.Ordinal);
        Assert.Contains("(7FE0,0010)", message, StringComparison.Ordinal);
        Assert.Matches("at offset \\d+", message);
    }

    [Fact]
    public async Task An_upload_over_the_size_limit_is_quarantined_as_oversized()
    {
        using var h = new IngestHarness(new IngestOptions { MaxInstanceBytes = 1000 });
        h.Storage.Upload("big.dcm", await IngestHarness.InstanceAsync(Study, Study + ".9"));

        var result = await h.IngestAsync("big.dcm");

        Assert.Equal("quarantine.oversized", result.ReasonCode);
        Assert.Empty(h.Storage.Archive);
    }

    [Fact]
    public async Task A_sop_class_outside_the_allowed_list_is_quarantined()
    {
        using var h = new IngestHarness(new IngestOptions { AllowedSopClasses = ["1.2.840.10008.5.1.4.1.1.4"] });
        h.Storage.Upload("ct.dcm", await IngestHarness.InstanceAsync(Study, Study + ".8"));

        var result = await h.IngestAsync("ct.dcm");

        Assert.Equal("quarantine.sop-class-not-allowed", result.ReasonCode);
    }

    [Fact]
    public async Task A_redelivered_event_for_a_handled_upload_is_already_handled()
    {
        _h.Storage.Upload("a.dcm", await IngestHarness.InstanceAsync(Study, Study + ".1.5"));
        await _h.IngestAsync("a.dcm");

        var result = await _h.IngestAsync("a.dcm");

        Assert.Equal(IngestOutcome.AlreadyHandled, result.Outcome);
        Assert.Single(_h.AuditRecords());
    }

    [Fact]
    public async Task A_crash_right_after_the_archive_write_is_completed_on_redelivery_with_one_blob_and_one_audit_line()
    {
        var upload = await IngestHarness.InstanceAsync(Study, Study + ".1.6");
        _h.Storage.Upload("a.dcm", upload);
        _h.Storage.FailNextCreateAfterWrite = new IOException("process killed");

        await Assert.ThrowsAsync<IOException>(() => _h.IngestAsync("a.dcm"));
        Assert.Single(_h.Storage.Incoming);
        Assert.Empty(_h.AuditRecords());

        var result = await _h.IngestAsync("a.dcm");

        Assert.Equal(IngestOutcome.Archived, result.Outcome);
        Assert.Equal("resumed", result.ReasonCode);
        Assert.Empty(_h.Storage.Incoming);
        Assert.Equal(upload, await _h.DecryptArchivedAsync(_h.InstanceBlob()));
        var audit = Assert.Single(_h.AuditRecords());
        Assert.Contains("resumed", audit.Event.Details);
        Assert.Contains(InstanceIndex.SealedMetadataName, _h.Storage.Archive[_h.InstanceBlob()].Metadata.Keys);
        Assert.DoesNotContain(_h.Storage.Archive.Keys, k => k.StartsWith("index/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_deliveries_of_one_event_side_by_side_archive_once_and_the_second_is_not_a_resume()
    {
        var upload = await IngestHarness.InstanceAsync(Study, Study + ".1.7");
        _h.Storage.Upload("twice.dcm", upload);

        // The second delivery reads the upload while the first is about to delete it, then waits for the first to finish.
        Task<IngestResult>? second = null;
        _h.Storage.BeforeNextDelete = () => second = _h.IngestAsync("twice.dcm");
        var first = await _h.IngestAsync("twice.dcm");
        var results = new[] { first, await second! };

        Assert.Single(results, r => r.Outcome == IngestOutcome.Archived && r.ReasonCode is null);
        Assert.Equal(IngestOutcome.Duplicate, results[1].Outcome);
        Assert.Empty(_h.Storage.Incoming);
        Assert.Single(_h.Storage.Archive);
        Assert.DoesNotContain(_h.AuditRecords(), r => r.Event.Details.Contains("resumed"));
    }

    [Fact]
    public async Task A_second_upload_of_the_same_content_while_the_first_ingest_is_unfinished_is_a_duplicate_not_a_resume()
    {
        var upload = await IngestHarness.InstanceAsync(Study, Study + ".1.8");
        _h.Storage.Upload("first.dcm", upload);
        _h.Storage.Upload("second.dcm", upload);
        _h.Storage.FailNextCreateAfterWrite = new IOException("process killed");
        await Assert.ThrowsAsync<IOException>(() => _h.IngestAsync("first.dcm"));

        var second = await _h.IngestAsync("second.dcm");
        var first = await _h.IngestAsync("first.dcm");

        Assert.Equal(IngestOutcome.Duplicate, second.Outcome);
        Assert.Equal(IngestOutcome.Archived, first.Outcome);
        Assert.Equal("resumed", first.ReasonCode);
        Assert.Empty(_h.Storage.Incoming);
        Assert.Single(_h.AuditRecords(), r => r.Event.Details.Contains("resumed"));
        Assert.DoesNotContain(_h.AuditRecords(), r => r.Event.Details.Contains("archived"));
        Assert.Single(_h.Storage.Archive.Keys, k => k.StartsWith("studies/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_transient_failure_before_the_write_throws_keeps_the_upload_and_the_retry_archives_once()
    {
        _h.Storage.Upload("a.dcm", await IngestHarness.InstanceAsync(Study, Study + ".1.7"));
        _h.Storage.FailNextCreateBeforeWrite = new TimeoutException("storage timed out");

        await Assert.ThrowsAsync<TimeoutException>(() => _h.IngestAsync("a.dcm"));
        Assert.Single(_h.Storage.Incoming);

        Assert.Equal(IngestOutcome.Archived, (await _h.IngestAsync("a.dcm")).Outcome);
        Assert.Single(_h.AuditRecords());
        Assert.Empty(_h.Storage.Incoming);
    }

    [Fact]
    public async Task Instances_of_one_study_share_the_study_key_and_distinct_studies_do_not()
    {
        _h.Storage.Upload("1.dcm", await IngestHarness.InstanceAsync(Study, Study + ".2.1"));
        _h.Storage.Upload("2.dcm", await IngestHarness.InstanceAsync(Study, Study + ".2.2"));
        _h.Storage.Upload("3.dcm", await IngestHarness.InstanceAsync(Study + "0", Study + "0.2.3"));

        foreach (var name in new[] { "1.dcm", "2.dcm", "3.dcm" })
        {
            Assert.Equal(IngestOutcome.Archived, (await _h.IngestAsync(name)).Outcome);
        }

        var studies = _h.Storage.Archive.Keys.Where(k => k.StartsWith("studies/", StringComparison.Ordinal)).Select(k => k.Split('/')[1]).ToList();
        Assert.Equal(3, studies.Count);
        Assert.Equal(2, studies.Distinct().Count());
    }

    [Fact]
    public async Task A_re_upload_differing_only_in_a_minimized_attribute_is_a_duplicate_not_a_conflict()
    {
        var first = await IngestHarness.InstanceAsync(Study, Study + ".5.1", withAddress: true);
        var second = await RewriteAsync(first, ds => ds.SetString(IngestHarness.PatientAddress, "2 OTHER ROAD"));
        _h.Storage.Upload("a.dcm", first);
        _h.Storage.Upload("b.dcm", second);

        Assert.Equal(IngestOutcome.Archived, (await _h.IngestAsync("a.dcm")).Outcome);
        Assert.Equal(IngestOutcome.Duplicate, (await _h.IngestAsync("b.dcm")).Outcome);
        Assert.Empty(_h.Storage.Quarantine);
    }

    [Fact]
    public async Task An_archive_blob_that_does_not_read_back_as_written_keeps_the_upload_in_quarantine_and_raises_a_security_alert()
    {
        var upload = await IngestHarness.InstanceAsync(Study, Study + ".6.1");
        _h.Storage.Upload("a.dcm", upload);
        _h.Storage.CorruptNextCreate = true;

        var result = await _h.IngestAsync("a.dcm");

        Assert.Equal(IngestOutcome.Quarantined, result.Outcome);
        Assert.Equal("quarantine.verification-failed", result.ReasonCode);
        Assert.Equal(upload, await _h.QuarantinedCopyAsync(result.QuarantineId));
        Assert.Single(_h.Storage.Archive);
        Assert.Empty(_h.Storage.Incoming);
        var records = _h.AuditRecords();
        Assert.Equal(AuditEventType.SecurityAlert, records[0].Event.EventType);
        Assert.Equal(AuditOutcome.MajorFailure, records[0].Event.Outcome);
        Assert.DoesNotContain(records, r => r.Event.Details.Contains("archived"));
    }

    [Fact]
    public async Task A_multi_region_instance_is_verified_by_reading_back_only_its_first_and_last_region()
    {
        using var h = new IngestHarness(new IngestOptions { EncryptionRegionLength = 4096 });
        var upload = await IngestHarness.InstanceAsync(Study, Study + ".7.1");
        h.Storage.Upload("m.dcm", upload);

        var result = await h.IngestAsync("m.dcm");

        Assert.Equal(IngestOutcome.Archived, result.Outcome);
        var name = h.InstanceBlob();
        Assert.Equal(upload, await h.DecryptArchivedAsync(name));
        long regions = (upload.Length + 4095) / 4096;
        Assert.True(regions > 2);
        const long regionCipher = 4096 + 28;
        var reads = h.Storage.RangeReads.Where(r => r.Name == name).Select(r => (r.Offset, r.Length)).ToArray();
        Assert.Equal([(0L, regionCipher), ((regions - 1) * regionCipher, h.Storage.Archive[name].Content.Length - ((regions - 1) * regionCipher))], reads);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_committed_blob_whose_first_or_last_region_does_not_decrypt_keeps_the_upload_in_quarantine(bool lastRegion)
    {
        using var h = new IngestHarness(new IngestOptions { EncryptionRegionLength = 4096 });
        var upload = await IngestHarness.InstanceAsync(Study, Study + ".8.1");
        h.Storage.Upload("c.dcm", upload);
        h.Storage.CorruptNextCreate = true;
        h.Storage.CorruptOffset = length => lastRegion ? length - 20 : 100;

        var result = await h.IngestAsync("c.dcm");

        Assert.Equal(IngestOutcome.Quarantined, result.Outcome);
        Assert.Equal("quarantine.verification-failed", result.ReasonCode);
        Assert.Equal(upload, await h.QuarantinedCopyAsync(result.QuarantineId));
        Assert.Empty(h.Storage.Incoming);
        Assert.Equal(AuditEventType.SecurityAlert, h.AuditRecords()[0].Event.EventType);
    }

    [Fact]
    public async Task A_small_re_upload_is_judged_a_duplicate_from_the_refused_write_without_looking_up_the_archive_first()
    {
        var upload = await IngestHarness.InstanceAsync(Study, Study + ".9.1");
        _h.Storage.Upload("d1.dcm", upload);
        Assert.Equal(IngestOutcome.Archived, (await _h.IngestAsync("d1.dcm")).Outcome);
        _h.Storage.Upload("d2.dcm", upload);

        var result = await _h.IngestAsync("d2.dcm");

        Assert.Equal(IngestOutcome.Duplicate, result.Outcome);
        Assert.Equal(2, _h.Storage.CreateAttempts);
        Assert.Single(_h.Storage.Archive, a => a.Key.EndsWith(".dcm.enc", StringComparison.Ordinal));
        Assert.Empty(_h.Storage.Incoming);
    }

    [Fact]
    public async Task A_deflated_dataset_that_inflates_beyond_the_limit_is_quarantined_as_a_deflate_bomb()
    {
        using var h = new IngestHarness(new IngestOptions { MaxInflatedBytes = 1 << 20 });
        var bomb = await RewriteAsync(await IngestHarness.InstanceAsync(Study, Study + ".7.1"), ds => ds.Set(new DicomValueElement(new DicomTag(0x0042, 0x0011), DicomVR.OB, new byte[4 << 20])));
        await using (var file = await DicomFile.ReadAsync(new MemoryStream(bomb), cancellationToken: IngestHarness.Ct))
        {
            var deflated = new MemoryStream();
            await file.WriteAsync(deflated, new DicomWriterOptions { TransferSyntax = TransferSyntax.DeflatedExplicitVRLittleEndian }, IngestHarness.Ct);
            bomb = deflated.ToArray();
        }

        Assert.True(bomb.Length < 1 << 20);
        h.Storage.Upload("bomb.dcm", bomb);

        var result = await h.IngestAsync("bomb.dcm");

        Assert.Equal("quarantine.deflate-bomb", result.ReasonCode);
        Assert.Empty(h.Storage.Archive);
    }

    private static async Task<byte[]> BrokenAsync(string kind)
    {
        switch (kind)
        {
            case "empty":
                return [];
            case "text":
                return Encoding.UTF8.GetBytes("Patient PLANTED^NAME, this is a discharge letter and not an image.\n");
            case "truncated-pixel-data":
                var full = await IngestHarness.InstanceAsync(Study, Study + ".3.1");
                var pixelData = full.AsSpan().LastIndexOf(new byte[] { 0xE0, 0x7F, 0x10, 0x00 });
                return full[..(pixelData + 500)];
            case "dataset-without-meta":
                await using (var file = await DicomFile.ReadAsync(new MemoryStream(await IngestHarness.InstanceAsync(Study, Study + ".3.2")), cancellationToken: IngestHarness.Ct))
                {
                    var output = new MemoryStream();
                    await DicomWriter.WriteDatasetAsync(output, file.Dataset, TransferSyntax.ExplicitVRLittleEndian, cancellationToken: IngestHarness.Ct);
                    return output.ToArray();
                }

            case "missing-sop-instance-uid":
                return await RewriteAsync(ds => ds.SetString(DicomTags.SOPInstanceUID, string.Empty));
            case "uid-with-leading-zero":
                return await RewriteAsync(ds => ds.SetString(IngestHarness.StudyUid, "1.2.03.4"));
            case "uid-too-long":
                return await RewriteAsync(ds => ds.SetString(IngestHarness.SeriesUid, "1." + new string('2', 70)));
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    private static async Task<byte[]> RewriteAsync(Action<DicomDataset> change) =>
        await RewriteAsync(await IngestHarness.InstanceAsync(Study, Study + ".4.1"), change);

    private static async Task<byte[]> RewriteAsync(byte[] source, Action<DicomDataset> change)
    {
        await using var file = await DicomFile.ReadAsync(new MemoryStream(source), cancellationToken: IngestHarness.Ct);
        change(file.Dataset);
        var output = new MemoryStream();
        await file.WriteAsync(output, cancellationToken: IngestHarness.Ct);
        return output.ToArray();
    }
}
