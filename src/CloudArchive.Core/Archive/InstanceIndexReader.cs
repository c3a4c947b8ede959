using System.Text.Json;
using CloudArchive.Core.Crypto;
using CloudArchive.Core.Keys;

namespace CloudArchive.Core.Archive;

/// <summary>
/// Reads and decrypts the per-instance index records (<see cref="InstanceIndex"/>): the record sealed in the instance
/// blob's metadata, else the record blob beside it.
/// </summary>
public sealed class InstanceIndexReader
{
    private readonly IArchiveStore _store;
    private readonly Keyring _keyring;

    /// <summary>Creates the reader over an archive store.</summary>
    /// <param name="store">The <c>archive</c> container.</param>
    /// <param name="keyring">Study keys (a record is decrypted under its study's key).</param>
    public InstanceIndexReader(IArchiveStore store, Keyring keyring)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _keyring = keyring ?? throw new ArgumentNullException(nameof(keyring));
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
            return await DecryptAsync(new MemoryStream(sealedCipher, writable: false), sealedMetadata, InstanceIndex.SealedBindingName(instanceName), sealedCipher.Length, cancellationToken).ConfigureAwait(false);
        }

        var recordName = ArchiveNames.IndexRecord(studyKey, instanceKey);
        await using var cipher = await _store.OpenReadWithInfoAsync(recordName, cancellationToken).ConfigureAwait(false);
        return cipher is null ? null : await DecryptAsync(cipher.Content, cipher.Info.Metadata, recordName, cipher.Info.Length, cancellationToken).ConfigureAwait(false);
    }

    private async Task<InstanceIndexRecord?> DecryptAsync(Stream cipher, IReadOnlyDictionary<string, string> envelope, string bindingName, long cipherLength, CancellationToken cancellationToken)
    {
        await using var plain = await new EnvelopeDecryptor(_keyring.StudyKeyResolver).OpenReadAsync(cipher, envelope, bindingName, cipherLength, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await JsonSerializer.DeserializeAsync(plain, InstanceIndex.RecordInfo, cancellationToken).ConfigureAwait(false);
    }

    private static bool TryUnpackSealed(IReadOnlyDictionary<string, string> metadata, out byte[] cipher, out IReadOnlyDictionary<string, string> envelopeMetadata)
    {
        cipher = [];
        envelopeMetadata = new Dictionary<string, string>();
        if (!metadata.TryGetValue(InstanceIndex.SealedMetadataName, out var sealedText))
        {
            return false;
        }

        if (!metadata.TryGetValue(InstanceIndex.SealedEncryptionMetadataName, out var encryptionData) || !metadata.TryGetValue(InstanceIndex.SealedLengthMetadataName, out var length))
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
        if (metadata.TryGetValue(InstanceIndex.SealedMacMetadataName, out var mac))
        {
            unpacked[CseFormat.EnvelopeMacMetadataName] = mac;
        }

        envelopeMetadata = unpacked;
        return true;
    }
}
