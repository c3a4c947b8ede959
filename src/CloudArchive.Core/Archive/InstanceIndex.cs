using System.Globalization;
using System.Text.Json;
using CloudArchive.Core.Crypto;
using CloudArchive.Core.Keys;

namespace CloudArchive.Core.Archive;

/// <summary>
/// Writes and reads the encrypted per-instance index records: JSON in the same envelope format as the instances,
/// under the study key. A record travels sealed in the instance blob's own metadata (<see cref="SealAsync"/>), so it is
/// committed atomically with the instance by the same request; one too large for metadata is written as
/// <see cref="ArchiveNames.IndexRecord"/> beside it instead (<see cref="WriteAsync"/>).
/// </summary>
public sealed class InstanceIndex
{
    /// <summary>Metadata entry: base64 of the sealed record's ciphertext (one envelope region).</summary>
    public const string SealedMetadataName = "ca_index";

    /// <summary>Metadata entry: the sealed record's <c>encryptiondata</c> (its own content key, wrapped by the study key).</summary>
    public const string SealedEncryptionMetadataName = "ca_indexdata";

    /// <summary>Metadata entry: the sealed record's plaintext length.</summary>
    public const string SealedLengthMetadataName = "ca_indexlength";

    /// <summary>
    /// Metadata entry: the sealed record's <c>ca_envelopemac</c>, binding its length and encryption data to
    /// <see cref="SealedBindingName"/> of the instance blob that carries it.
    /// </summary>
    public const string SealedMacMetadataName = "ca_indexmac";

    /// <summary>
    /// The largest sealed record (base64 characters) carried as metadata: with the instance's own entries (about 1 KiB)
    /// this stays well inside the service's 8 KiB limit for all metadata of a blob.
    /// </summary>
    public const int MaxSealedChars = 4096;

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = false, TypeInfoResolver = Serialization.CoreJsonContext.Default };
    private static readonly System.Text.Json.Serialization.Metadata.JsonTypeInfo<InstanceIndexRecord> RecordInfo =
        (System.Text.Json.Serialization.Metadata.JsonTypeInfo<InstanceIndexRecord>)JsonOptions.GetTypeInfo(typeof(InstanceIndexRecord));

    private readonly IArchiveStore _store;
    private readonly Keyring _keyring;
    private readonly EnvelopeEncryptor _encryptor;

    /// <summary>Creates the index over an archive store.</summary>
    public InstanceIndex(IArchiveStore store, Keyring keyring, EnvelopeEncryptor encryptor)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _keyring = keyring ?? throw new ArgumentNullException(nameof(keyring));
        _encryptor = encryptor ?? throw new ArgumentNullException(nameof(encryptor));
    }

    /// <summary>
    /// The name a sealed record's envelope is bound to: the instance blob's name with <c>#ca_index</c> appended, so the
    /// record cannot be moved to another instance's metadata, nor pass for the instance's own envelope.
    /// </summary>
    /// <param name="instanceBlobName">The name of the instance blob that carries the record (<see cref="ArchiveNames.Instance"/>).</param>
    public static string SealedBindingName(string instanceBlobName)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceBlobName);
        return instanceBlobName + "#" + SealedMetadataName;
    }

    /// <summary>
    /// Seals a record into metadata entries for its instance blob (<see cref="ArchiveNames.Instance"/> of the record's
    /// keys), or returns null when it is too large to travel as metadata (then it is written with
    /// <see cref="WriteAsync"/> once the instance is committed).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>?> SealAsync(InstanceIndexRecord record, SymmetricKeyEncryptionKey studyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(studyKey);
        var json = JsonSerializer.SerializeToUtf8Bytes(record, RecordInfo);
        if ((json.Length + CseFormat.RegionOverhead + 2) / 3 * 4 > MaxSealedChars)
        {
            return null;
        }

        var encrypted = await EncryptAsync(json, studyKey, cancellationToken).ConfigureAwait(false);
        await using (encrypted.ConfigureAwait(false))
        {
            using var cipher = new MemoryStream();
            await encrypted.CopyToAsync(cipher, cancellationToken).ConfigureAwait(false);
            var envelope = encrypted.GetMetadata(SealedBindingName(ArchiveNames.Instance(record.StudyKey, record.InstanceKey)));
            return new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [SealedMetadataName] = Convert.ToBase64String(cipher.GetBuffer(), 0, (int)cipher.Length),
                [SealedEncryptionMetadataName] = envelope[CseFormat.EncryptionDataMetadataName],
                [SealedLengthMetadataName] = envelope[CseFormat.PlainLengthMetadataName],
                [SealedMacMetadataName] = envelope[CseFormat.EnvelopeMacMetadataName],
            };
        }
    }

    /// <summary>Writes (or rewrites) a record that was too large to seal into its instance's metadata.</summary>
    public async Task WriteAsync(InstanceIndexRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var studyKey = await _keyring.GetOrCreateStudyKeyAsync(record.StudyKey, cancellationToken).ConfigureAwait(false);
        await using var encrypted = await EncryptAsync(JsonSerializer.SerializeToUtf8Bytes(record, RecordInfo), studyKey, cancellationToken).ConfigureAwait(false);
        var name = ArchiveNames.IndexRecord(record.StudyKey, record.InstanceKey);
        await _store.UpsertAsync(name, encrypted, encrypted.GetMetadata(name), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads and decrypts an instance's record (sealed in its metadata, else the record blob beside it), or returns
    /// null when the instance or its record does not exist.
    /// </summary>
    public async Task<InstanceIndexRecord?> ReadAsync(string studyKey, string instanceKey, CancellationToken cancellationToken)
    {
        var instanceName = ArchiveNames.Instance(studyKey, instanceKey);
        var info = await _store.GetInfoAsync(instanceName, cancellationToken).ConfigureAwait(false);
        if (info is null)
        {
            return null;
        }

        if (TryUnpackSealed(info.Metadata, out var sealedCipher, out var sealedMetadata))
        {
            return await DecryptAsync(new MemoryStream(sealedCipher, writable: false), sealedMetadata, SealedBindingName(instanceName), sealedCipher.Length, cancellationToken).ConfigureAwait(false);
        }

        var recordName = ArchiveNames.IndexRecord(studyKey, instanceKey);
        await using var cipher = await _store.OpenReadWithInfoAsync(recordName, cancellationToken).ConfigureAwait(false);
        return cipher is null ? null : await DecryptAsync(cipher.Content, cipher.Info.Metadata, recordName, cipher.Info.Length, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes an instance's record out of the index (the instance failed verification and must not be selected): drops
    /// the sealed entries from its metadata and deletes a record blob. The instance blob itself stays for investigation.
    /// </summary>
    public async Task WithdrawAsync(string studyKey, string instanceKey, CancellationToken cancellationToken)
    {
        await _store.RemoveMetadataAsync(ArchiveNames.Instance(studyKey, instanceKey), [SealedMetadataName, SealedEncryptionMetadataName, SealedLengthMetadataName, SealedMacMetadataName], cancellationToken).ConfigureAwait(false);
        await _store.DeleteIfExistsAsync(ArchiveNames.IndexRecord(studyKey, instanceKey), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A record's JSON as an envelope-encrypted stream under the study key (its metadata from the stream).</summary>
    private Task<EncryptingStream> EncryptAsync(byte[] json, SymmetricKeyEncryptionKey studyKey, CancellationToken cancellationToken) =>
        _encryptor.EncryptAsync(new MemoryStream(json, writable: false), studyKey, plainLength: json.Length, cancellationToken: cancellationToken);

    private async Task<InstanceIndexRecord?> DecryptAsync(Stream cipher, IReadOnlyDictionary<string, string> envelope, string bindingName, long cipherLength, CancellationToken cancellationToken)
    {
        await using var plain = await new EnvelopeDecryptor(_keyring.StudyKeyResolver).OpenReadAsync(cipher, envelope, bindingName, cipherLength, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await JsonSerializer.DeserializeAsync(plain, RecordInfo, cancellationToken).ConfigureAwait(false);
    }

    private static bool TryUnpackSealed(IReadOnlyDictionary<string, string> metadata, out byte[] cipher, out IReadOnlyDictionary<string, string> envelopeMetadata)
    {
        cipher = [];
        envelopeMetadata = new Dictionary<string, string>();
        if (!metadata.TryGetValue(SealedMetadataName, out var sealedText))
        {
            return false;
        }

        if (!metadata.TryGetValue(SealedEncryptionMetadataName, out var encryptionData) || !metadata.TryGetValue(SealedLengthMetadataName, out var length))
        {
            throw new EnvelopeDecryptionException(EnvelopeFailureReason.MissingMetadata, "The sealed index record lacks its encryption metadata.");
        }

        try
        {
            cipher = Convert.FromBase64String(sealedText);
        }
        catch (FormatException ex)
        {
            throw new EnvelopeDecryptionException(EnvelopeFailureReason.Tampered, "The sealed index record is not base64.", innerException: ex);
        }

        var unpacked = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [CseFormat.EncryptionDataMetadataName] = encryptionData,
            [CseFormat.PlainLengthMetadataName] = length,
        };

        // Absent, it stays absent: the decryptor then refuses the record for its missing MAC.
        if (metadata.TryGetValue(SealedMacMetadataName, out var mac))
        {
            unpacked[CseFormat.EnvelopeMacMetadataName] = mac;
        }

        envelopeMetadata = unpacked;
        return true;
    }
}
