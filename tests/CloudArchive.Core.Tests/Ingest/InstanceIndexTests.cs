using CloudArchive.Core.Archive;
using CloudArchive.Core.Crypto;
using Xunit;

namespace CloudArchive.Core.Tests.Ingest;

public sealed class InstanceIndexTests : IDisposable
{
    private const string StudyKey = "AAAAAAAAAAAAAAAAAAAAAAAAAA";
    private const string InstanceKey = "BBBBBBBBBBBBBBBBBBBBBBBBBB";
    private readonly IngestHarness _h = new();

    private static CancellationToken Ct => IngestHarness.Ct;

    private static InstanceIndexRecord Record(int removed) => new()
    {
        StudyKey = StudyKey,
        SeriesKey = "CCCCCCCCCCCCCCCCCCCCCCCCCC",
        InstanceKey = InstanceKey,
        PatientPseudonym = "DDDDDDDDDDDDDDDDDDDDDDDDDD",
        StudyDate = "2026-01-02",
        Modality = "CT",
        BodyPart = "CHEST",
        SopClassUid = "1.2.840.10008.5.1.4.1.1.2",
        TransferSyntaxUid = "1.2.840.10008.1.2.1",
        UploadLength = 1000,
        ArchivedLength = 900,
        MinimizationPolicy = "default",
        RemovedPaths = Enumerable.Range(0, removed).Select(i => $"(0009,10{i % 100:D2})[{i}].(0019,1001)").ToArray(),
        RetainUntil = "2036-01-02",
        RetentionRule = "default-10y",
        RetentionExplanation = "default",
        IngestedAt = DateTimeOffset.UnixEpoch,
        CorrelationId = "c-1",
    };

    [Fact]
    public async Task A_record_sealed_into_instance_metadata_reads_back_equal_and_stays_within_the_metadata_budget()
    {
        var index = new InstanceIndexWriter(_h.Storage, _h.Keyring, new EnvelopeEncryptor());
        var reader = new InstanceIndexReader(_h.Storage, _h.Keyring);
        using var studyKey = await _h.Keyring.GetOrCreateStudyKeyAsync(StudyKey, Ct);
        var record = Record(removed: 20);

        var sealedEntries = await index.SealAsync(record, studyKey, Ct);

        Assert.NotNull(sealedEntries);
        Assert.True(sealedEntries[InstanceIndex.SealedMetadataName].Length <= InstanceIndex.MaxSealedChars);
        Assert.True(await _h.Storage.TryCreateAsync(ArchiveNames.Instance(StudyKey, InstanceKey), new MemoryStream([1, 2, 3]), sealedEntries, new Dictionary<string, string>(), Ct));
        var back = await reader.ReadAsync(StudyKey, InstanceKey, Ct);
        Assert.NotNull(back);
        Assert.Equal(record.RemovedPaths, back.RemovedPaths);
        Assert.Equal(record with { RemovedPaths = back.RemovedPaths }, back);
    }

    [Fact]
    public async Task A_record_too_large_for_metadata_is_not_sealed_and_is_read_from_its_own_blob()
    {
        var index = new InstanceIndexWriter(_h.Storage, _h.Keyring, new EnvelopeEncryptor());
        var reader = new InstanceIndexReader(_h.Storage, _h.Keyring);
        using var studyKey = await _h.Keyring.GetOrCreateStudyKeyAsync(StudyKey, Ct);
        var record = Record(removed: 400);

        Assert.Null(await index.SealAsync(record, studyKey, Ct));
        Assert.True(await _h.Storage.TryCreateAsync(ArchiveNames.Instance(StudyKey, InstanceKey), new MemoryStream([1, 2, 3]), new Dictionary<string, string>(), new Dictionary<string, string>(), Ct));
        Assert.Null(await reader.ReadAsync(StudyKey, InstanceKey, Ct));

        await index.WriteAsync(record, Ct);

        var back = await reader.ReadAsync(StudyKey, InstanceKey, Ct);
        Assert.NotNull(back);
        Assert.Equal(400, back.RemovedPaths.Count);
    }

    [Fact]
    public async Task A_damaged_sealed_record_is_a_typed_decryption_error()
    {
        var index = new InstanceIndexWriter(_h.Storage, _h.Keyring, new EnvelopeEncryptor());
        var reader = new InstanceIndexReader(_h.Storage, _h.Keyring);
        using var studyKey = await _h.Keyring.GetOrCreateStudyKeyAsync(StudyKey, Ct);
        var sealedEntries = new Dictionary<string, string>((await index.SealAsync(Record(1), studyKey, Ct))!);
        var cipher = Convert.FromBase64String(sealedEntries[InstanceIndex.SealedMetadataName]);
        cipher[20] ^= 1;
        sealedEntries[InstanceIndex.SealedMetadataName] = Convert.ToBase64String(cipher);
        await _h.Storage.TryCreateAsync(ArchiveNames.Instance(StudyKey, InstanceKey), new MemoryStream([1]), sealedEntries, new Dictionary<string, string>(), Ct);

        var ex = await Assert.ThrowsAsync<EnvelopeDecryptionException>(() => reader.ReadAsync(StudyKey, InstanceKey, Ct));
        Assert.Equal(EnvelopeFailureReason.Tampered, ex.Reason);
    }

    [Theory]
    [InlineData(InstanceIndex.SealedEncryptionMetadataName, EnvelopeFailureReason.MissingMetadata)]
    [InlineData(InstanceIndex.SealedLengthMetadataName, EnvelopeFailureReason.MissingMetadata)]
    [InlineData(InstanceIndex.SealedMacMetadataName, EnvelopeFailureReason.MissingMetadata)]
    [InlineData(InstanceIndex.SealedMetadataName, EnvelopeFailureReason.Tampered)]
    public async Task A_sealed_record_missing_a_companion_entry_or_not_base64_is_a_typed_decryption_error(string entry, EnvelopeFailureReason expected)
    {
        var index = new InstanceIndexWriter(_h.Storage, _h.Keyring, new EnvelopeEncryptor());
        var reader = new InstanceIndexReader(_h.Storage, _h.Keyring);
        using var studyKey = await _h.Keyring.GetOrCreateStudyKeyAsync(StudyKey, Ct);
        var sealedEntries = new Dictionary<string, string>((await index.SealAsync(Record(1), studyKey, Ct))!);
        if (entry == InstanceIndex.SealedMetadataName)
        {
            sealedEntries[entry] = "not base64!";
        }
        else
        {
            sealedEntries.Remove(entry);
        }

        await _h.Storage.TryCreateAsync(ArchiveNames.Instance(StudyKey, InstanceKey), new MemoryStream([1]), sealedEntries, new Dictionary<string, string>(), Ct);

        var ex = await Assert.ThrowsAsync<EnvelopeDecryptionException>(() => reader.ReadAsync(StudyKey, InstanceKey, Ct));
        Assert.Equal(expected, ex.Reason);
    }

    [Fact]
    public async Task A_sealed_record_is_bound_to_the_instance_that_carries_it()
    {
        var index = new InstanceIndexWriter(_h.Storage, _h.Keyring, new EnvelopeEncryptor());
        var reader = new InstanceIndexReader(_h.Storage, _h.Keyring);
        using var studyKey = await _h.Keyring.GetOrCreateStudyKeyAsync(StudyKey, Ct);
        var sealedEntries = await index.SealAsync(Record(1), studyKey, Ct);
        const string other = "EEEEEEEEEEEEEEEEEEEEEEEEEE";
        await _h.Storage.TryCreateAsync(ArchiveNames.Instance(StudyKey, other), new MemoryStream([1]), sealedEntries!, new Dictionary<string, string>(), Ct);

        var ex = await Assert.ThrowsAsync<EnvelopeDecryptionException>(() => reader.ReadAsync(StudyKey, other, Ct));

        Assert.Equal(EnvelopeFailureReason.MetadataTampered, ex.Reason);
    }

    [Fact]
    public async Task A_record_blob_copied_under_another_instance_name_is_refused()
    {
        var index = new InstanceIndexWriter(_h.Storage, _h.Keyring, new EnvelopeEncryptor());
        var reader = new InstanceIndexReader(_h.Storage, _h.Keyring);
        await index.WriteAsync(Record(removed: 400), Ct);
        const string other = "EEEEEEEEEEEEEEEEEEEEEEEEEE";
        Assert.True(await _h.Storage.TryCreateAsync(ArchiveNames.Instance(StudyKey, other), new MemoryStream([1]), new Dictionary<string, string>(), new Dictionary<string, string>(), Ct));
        var (content, metadata, _) = _h.Storage.Archive[ArchiveNames.IndexRecord(StudyKey, InstanceKey)];
        await _h.Storage.UpsertAsync(ArchiveNames.IndexRecord(StudyKey, other), new MemoryStream(content), metadata, Ct);

        var ex = await Assert.ThrowsAsync<EnvelopeDecryptionException>(() => reader.ReadAsync(StudyKey, other, Ct));

        Assert.Equal(EnvelopeFailureReason.MetadataTampered, ex.Reason);
    }

    public void Dispose() => _h.Dispose();
}
