using System.Text.Json;
using CloudArchive.Core.Crypto;
using CloudArchive.Core.Keys;

namespace CloudArchive.Core.Ingest;

/// <summary>
/// Writes and reads the encrypted per-instance index records (<see cref="ArchiveNames.IndexRecord"/>), JSON in the
/// same envelope format as the instances, under the study key.
/// </summary>
public sealed class InstanceIndex
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = false };

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

    /// <summary>Whether a record exists (it is written last before the upload is deleted: it marks a completed ingest).</summary>
    public async Task<bool> ExistsAsync(string studyKey, string instanceKey, CancellationToken cancellationToken) =>
        await _store.GetInfoAsync(ArchiveNames.IndexRecord(studyKey, instanceKey), cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>Writes (or rewrites) a record.</summary>
    public async Task WriteAsync(InstanceIndexRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var json = JsonSerializer.SerializeToUtf8Bytes(record, JsonOptions);
        using var studyKey = await _keyring.GetOrCreateStudyKeyAsync(record.StudyKey, cancellationToken).ConfigureAwait(false);
        using var plain = new MemoryStream(json, writable: false);
        await using var encrypted = await _encryptor.EncryptAsync(plain, studyKey, plainLength: json.Length, cancellationToken: cancellationToken).ConfigureAwait(false);
        await _store.UpsertAsync(ArchiveNames.IndexRecord(record.StudyKey, record.InstanceKey), encrypted, encrypted.GetMetadata(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads and decrypts a record, or returns null when there is none.</summary>
    public async Task<InstanceIndexRecord?> ReadAsync(string studyKey, string instanceKey, CancellationToken cancellationToken)
    {
        await using var cipher = await _store.OpenReadWithInfoAsync(ArchiveNames.IndexRecord(studyKey, instanceKey), cancellationToken).ConfigureAwait(false);
        if (cipher is null)
        {
            return null;
        }

        var decryptor = new EnvelopeDecryptor(_keyring.StudyKeyResolver);
        await using var plain = await decryptor.OpenReadAsync(cipher.Content, cipher.Info.Metadata, cipher.Info.Length, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await JsonSerializer.DeserializeAsync<InstanceIndexRecord>(plain, JsonOptions, cancellationToken).ConfigureAwait(false);
    }
}
