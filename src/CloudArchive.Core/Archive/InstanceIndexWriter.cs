using System.Text.Json;
using CloudArchive.Core.Crypto;
using CloudArchive.Core.Keys;

namespace CloudArchive.Core.Archive;

/// <summary>
/// Writes the encrypted per-instance index records (<see cref="InstanceIndex"/>): seals a record into its instance's
/// metadata (<see cref="SealAsync"/>), writes one too large for metadata beside the instance (<see cref="WriteAsync"/>),
/// and takes a record out of the index (<see cref="WithdrawAsync"/>).
/// </summary>
public sealed class InstanceIndexWriter
{
    private readonly IArchiveStore _store;
    private readonly Keyring _keyring;
    private readonly EnvelopeEncryptor _encryptor;

    /// <summary>Creates the writer over an archive store.</summary>
    /// <param name="store">The <c>archive</c> container.</param>
    /// <param name="keyring">Study keys (a record is encrypted under its study's key).</param>
    /// <param name="encryptor">The envelope encryptor (its region length is the instances' own).</param>
    public InstanceIndexWriter(IArchiveStore store, Keyring keyring, EnvelopeEncryptor encryptor)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _keyring = keyring ?? throw new ArgumentNullException(nameof(keyring));
        _encryptor = encryptor ?? throw new ArgumentNullException(nameof(encryptor));
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
        var json = JsonSerializer.SerializeToUtf8Bytes(record, InstanceIndex.RecordInfo);
        if ((json.Length + CseFormat.RegionOverhead + 2) / 3 * 4 > InstanceIndex.MaxSealedChars)
        {
            return null;
        }

        var encrypted = await EncryptAsync(json, studyKey, cancellationToken).ConfigureAwait(false);
        await using (encrypted.ConfigureAwait(false))
        {
            using var cipher = new MemoryStream();
            await encrypted.CopyToAsync(cipher, cancellationToken).ConfigureAwait(false);
            var envelope = encrypted.GetMetadata(InstanceIndex.SealedBindingName(ArchiveNames.Instance(record.StudyKey, record.InstanceKey)));
            return new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [InstanceIndex.SealedMetadataName] = Convert.ToBase64String(cipher.GetBuffer(), 0, (int)cipher.Length),
                [InstanceIndex.SealedEncryptionMetadataName] = envelope[CseFormat.EncryptionDataMetadataName],
                [InstanceIndex.SealedLengthMetadataName] = envelope[CseFormat.PlainLengthMetadataName],
                [InstanceIndex.SealedMacMetadataName] = envelope[CseFormat.EnvelopeMacMetadataName],
            };
        }
    }

    /// <summary>Writes (or rewrites) a record that was too large to seal into its instance's metadata.</summary>
    public async Task WriteAsync(InstanceIndexRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var studyKey = await _keyring.GetOrCreateStudyKeyAsync(record.StudyKey, cancellationToken).ConfigureAwait(false);
        await using var encrypted = await EncryptAsync(JsonSerializer.SerializeToUtf8Bytes(record, InstanceIndex.RecordInfo), studyKey, cancellationToken).ConfigureAwait(false);
        var name = ArchiveNames.IndexRecord(record.StudyKey, record.InstanceKey);
        await _store.UpsertAsync(name, encrypted, encrypted.GetMetadata(name), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes an instance's record out of the index (the instance failed verification and must not be selected): drops
    /// the sealed entries from its metadata and deletes a record blob. The instance blob itself stays for investigation.
    /// </summary>
    public async Task WithdrawAsync(string studyKey, string instanceKey, CancellationToken cancellationToken)
    {
        await _store.RemoveMetadataAsync(ArchiveNames.Instance(studyKey, instanceKey), [InstanceIndex.SealedMetadataName, InstanceIndex.SealedEncryptionMetadataName, InstanceIndex.SealedLengthMetadataName, InstanceIndex.SealedMacMetadataName], cancellationToken).ConfigureAwait(false);
        await _store.DeleteIfExistsAsync(ArchiveNames.IndexRecord(studyKey, instanceKey), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A record's JSON as an envelope-encrypted stream under the study key (its metadata from the stream).</summary>
    private Task<EncryptingStream> EncryptAsync(byte[] json, SymmetricKeyEncryptionKey studyKey, CancellationToken cancellationToken) =>
        _encryptor.EncryptAsync(new MemoryStream(json, writable: false), studyKey, plainLength: json.Length, cancellationToken: cancellationToken);
}
