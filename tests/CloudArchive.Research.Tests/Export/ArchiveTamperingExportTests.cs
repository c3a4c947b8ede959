using System.Globalization;
using CloudArchive.Core.Archive;
using CloudArchive.Core.Crypto;
using CloudArchive.Core.Ingest;
using CloudArchive.Dicom;
using Xunit;

namespace CloudArchive.Research.Tests.Export;

/// <summary>
/// Someone with write access to the archive container (but not to the keys) edits blobs in ways GCM alone cannot see;
/// the export must withhold the study rather than release what was left. Real ingest and export over in-memory stores.
/// </summary>
public sealed class ArchiveTamperingExportTests
{
    private const string Patient = "PLANTEDP1";

    /// <summary>Data Set Trailing Padding: a whole element that may end any dataset, so a file without it still parses.</summary>
    private static readonly DicomTag TrailingPadding = new(0xFFFC, 0xFFFC);

    private static readonly DicomTag PatientAddress = new(0x0010, 0x1040);

    private static string Uid() => "2.25." + new System.Numerics.BigInteger(Guid.NewGuid().ToByteArray(), isUnsigned: true);

    private static async Task<string> OpaqueKeyAsync(ExportHarness h, string uid)
    {
        using var namer = await h.Ingest.Keyring.GetIndexKeyNamerAsync(ExportHarness.Ct);
        return namer.NameFor(uid);
    }

    /// <summary>Two instances of one consented patient's study, ingested and agreed on; their keys and archive names.</summary>
    private static async Task<(string StudyKey, string InstanceB, string NameA, string NameB)> TwoInstancesOfOneStudyAsync(ExportHarness h)
    {
        var (study, sopA, sopB) = (Uid(), Uid(), Uid());
        await h.IngestAsync(study, sopA, Patient);
        await h.IngestAsync(study, sopB, Patient);
        await ConsentAndAgreeAsync(h);
        var studyKey = await OpaqueKeyAsync(h, study);
        var instanceB = await OpaqueKeyAsync(h, sopB);
        return (studyKey, instanceB, ArchiveNames.Instance(studyKey, await OpaqueKeyAsync(h, sopA)), ArchiveNames.Instance(studyKey, instanceB));
    }

    private static async Task ConsentAndAgreeAsync(ExportHarness h)
    {
        await h.ConsentAsync(Patient);
        h.Agreements.Set(h.Agreement());
    }

    [Fact]
    public async Task A_study_whose_last_region_was_cut_and_whose_plain_length_was_rewritten_is_withheld_as_unreadable()
    {
        // The instance is the file without padding, then one padding element: with a region exactly the size of the
        // former, the padding is the whole last region, and what is left after the cut is still a valid DICOM file.
        var (study, sop) = (Uid(), Uid());
        var withoutTail = await ExportHarness.InstanceAsync(study, sop, Patient, edit: ds =>
        {
            ds.Remove(PatientAddress);
            ds.Remove(TrailingPadding);
        });
        var upload = await ExportHarness.InstanceAsync(study, sop, Patient, edit: ds =>
        {
            ds.Remove(PatientAddress);
            ds.Set(new DicomValueElement(TrailingPadding, DicomVR.OB, new byte[64]));
        });
        Assert.True(upload.AsSpan(0, withoutTail.Length).SequenceEqual(withoutTail));
        using var h = new ExportHarness(new IngestOptions { EncryptionRegionLength = withoutTail.Length });
        await h.IngestAsync(upload);
        await ConsentAndAgreeAsync(h);
        var name = h.Ingest.InstanceBlob();
        var (content, metadata, tags) = h.Ingest.Storage.Archive[name];
        Assert.Equal(CseFormat.CiphertextLength(upload.Length, withoutTail.Length), content.Length);

        var cut = content[..(withoutTail.Length + CseFormat.RegionOverhead)];
        var edited = new Dictionary<string, string>(metadata) { [CseFormat.PlainLengthMetadataName] = withoutTail.Length.ToString(CultureInfo.InvariantCulture) };
        h.Ingest.Storage.Archive[name] = (cut, edited, tags);

        var ex = await Assert.ThrowsAsync<EnvelopeDecryptionException>(() => h.Ingest.DecryptArchivedAsync(name));
        Assert.Equal(EnvelopeFailureReason.MetadataTampered, ex.Reason);

        var result = await h.ExportAsync();

        Assert.Equal(0, result.StudiesWritten);
        Assert.Empty(h.Research.InstanceNames());
        Assert.Equal(1, h.AdminManifest().ExcludedByReason["unreadable"]);
    }

    [Fact]
    public async Task An_instance_overwritten_with_a_copy_of_another_instance_of_the_study_is_withheld_as_unreadable()
    {
        using var h = new ExportHarness();
        var (_, _, nameA, nameB) = await TwoInstancesOfOneStudyAsync(h);
        var a = h.Ingest.Storage.Archive[nameA];
        var b = h.Ingest.Storage.Archive[nameB];

        // B keeps its own (valid) index record; its body and envelope are A's, which decrypt under the same study key.
        var moved = new Dictionary<string, string>(b.Metadata);
        foreach (var entry in new[] { CseFormat.EncryptionDataMetadataName, CseFormat.PlainLengthMetadataName, CseFormat.EnvelopeMacMetadataName })
        {
            moved[entry] = a.Metadata[entry];
        }

        h.Ingest.Storage.Archive[nameB] = (a.Content, moved, b.Tags);

        var ex = await Assert.ThrowsAsync<EnvelopeDecryptionException>(() => h.Ingest.DecryptArchivedAsync(nameB));
        Assert.Equal(EnvelopeFailureReason.MetadataTampered, ex.Reason);

        var result = await h.ExportAsync();

        Assert.Equal(0, result.StudiesWritten);
        Assert.Empty(h.Research.InstanceNames());
        Assert.Equal(1, h.AdminManifest().ExcludedByReason["unreadable"]);
    }

    [Fact]
    public async Task An_index_record_moved_to_another_instance_of_the_study_is_withheld_as_unreadable()
    {
        using var h = new ExportHarness();
        var (studyKey, instanceB, nameA, nameB) = await TwoInstancesOfOneStudyAsync(h);
        var sealedEntries = new[] { InstanceIndex.SealedMetadataName, InstanceIndex.SealedEncryptionMetadataName, InstanceIndex.SealedLengthMetadataName, InstanceIndex.SealedMacMetadataName };
        foreach (var entry in sealedEntries)
        {
            h.Ingest.Storage.Archive[nameB].Metadata[entry] = h.Ingest.Storage.Archive[nameA].Metadata[entry];
        }

        var index = new InstanceIndexReader(h.Ingest.Storage, h.Ingest.Keyring);
        var ex = await Assert.ThrowsAsync<EnvelopeDecryptionException>(() => index.ReadAsync(studyKey, instanceB, ExportHarness.Ct));
        Assert.Equal(EnvelopeFailureReason.MetadataTampered, ex.Reason);

        var result = await h.ExportAsync();

        Assert.Equal(0, result.StudiesWritten);
        Assert.Equal(1, h.AdminManifest().ExcludedByReason["unreadable"]);
    }
}
