using System.Globalization;
using CloudArchive.Core.Archive;
using CloudArchive.Core.Crypto;
using CloudArchive.Core.Keys;

namespace CloudArchive.Core.Ingest.Quarantine;

/// <summary>
/// The one Core entry point that places an upload in quarantine (ingest rejections, and the timers that give up on
/// an upload with <see cref="QuarantineReason.IngestFailed"/>): encrypts the upload in the archive's envelope format
/// (CSE v2.1) under the study key when the study is known and not shredded, otherwise under the keyring's quarantine
/// key; names it by an opaque id; tags it for shred, erasure and the retention sweep; writes a reason document without
/// patient data. Idempotent: a re-delivery of the same upload version lands on the same id and reuses the copy.
/// </summary>
public sealed class QuarantineWriter
{
    /// <summary>How long a quarantine copy is kept by default.</summary>
    public const int DefaultRetentionDays = 30;

    private readonly IQuarantineStore _store;
    private readonly Keyring _keyring;
    private readonly EnvelopeEncryptor _encryptor;
    private readonly TimeProvider _time;
    private readonly int _retentionDays;

    /// <summary>Creates the writer.</summary>
    /// <param name="store">The quarantine container.</param>
    /// <param name="keyring">Study keys, the quarantine key and the index key (for ids).</param>
    /// <param name="retentionDays">Days a copy is kept (<c>ca_retain_until</c>); at least 1.</param>
    /// <param name="timeProvider">Clock.</param>
    public QuarantineWriter(IQuarantineStore store, Keyring keyring, int retentionDays = DefaultRetentionDays, TimeProvider? timeProvider = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _keyring = keyring ?? throw new ArgumentNullException(nameof(keyring));
        ArgumentOutOfRangeException.ThrowIfLessThan(retentionDays, 1);
        _retentionDays = retentionDays;
        _time = timeProvider ?? TimeProvider.System;
        _encryptor = new EnvelopeEncryptor();
    }

    /// <summary>Encrypts and stores the upload with its reason; returns its id.</summary>
    public async Task<QuarantinePlacementResult> PlaceAsync(QuarantineRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        string id;
        using (var namer = await _keyring.GetIndexKeyNamerAsync(cancellationToken).ConfigureAwait(false))
        {
            id = QuarantineNames.IdFor(namer, request.Container, request.BlobName, request.ETag);
        }

        var now = _time.GetUtcNow();
        var retainUntil = DateOnly.FromDateTime(now.UtcDateTime).AddDays(_retentionDays).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var (kek, under) = await KeyForAsync(request, cancellationToken).ConfigureAwait(false);
        using (kek)
        {
            var copyName = QuarantineNames.Copy(id);
            var encrypted = await _encryptor.EncryptAsync(request.Content, kek, leaveOpen: true, plainLength: request.Length, cancellationToken: cancellationToken).ConfigureAwait(false);
            await using (encrypted.ConfigureAwait(false))
            {
                var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (name, value) in encrypted.GetMetadata(copyName))
                {
                    metadata[name] = value;
                }

                if (request.UploadMac is { } mac)
                {
                    metadata[ArchiveMetadata.UploadMac] = mac;
                }

                var tags = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [ArchiveMetadata.RetainUntilTag] = retainUntil,
                    [ArchiveMetadata.HoldTag] = "0",
                };
                if (KeyringNames.IsValidStudyKey(request.StudyKey ?? string.Empty))
                {
                    tags[ArchiveMetadata.StudyTag] = request.StudyKey!;
                }

                if (KeyringNames.IsValidStudyKey(request.PatientPseudonym ?? string.Empty))
                {
                    tags[ArchiveMetadata.PatientTag] = request.PatientPseudonym!;
                }

                var record = new QuarantineRecord
                {
                    Id = id,
                    Reason = QuarantineReasonCodes.For(request.Reason),
                    Message = request.Message,
                    Time = now,
                    RetainUntil = retainUntil,
                    EncryptedUnder = under,
                    UploadLength = request.Length,
                    StudyKey = tags.GetValueOrDefault(ArchiveMetadata.StudyTag),
                    InstanceKey = request.InstanceKey,
                    CorrelationId = request.CorrelationId,
                    EventId = request.EventId,
                    UploadRef = request.UploadReference,
                };
                var created = await _store.PlaceAsync(new QuarantinePlacement(id, encrypted, metadata, tags, record.ToJson()), cancellationToken).ConfigureAwait(false);
                return new QuarantinePlacementResult(id, created, under);
            }
        }
    }

    private async Task<(SymmetricKeyEncryptionKey Key, string Under)> KeyForAsync(QuarantineRequest request, CancellationToken cancellationToken)
    {
        if (request.StudyKey is { } studyKey && KeyringNames.IsValidStudyKey(studyKey) && request.Reason != QuarantineReason.StudyShredded)
        {
            try
            {
                // Under the study key the copy shares its study's fate: a crypto-shred makes it unreadable too.
                return (await _keyring.GetOrCreateStudyKeyAsync(studyKey, cancellationToken).ConfigureAwait(false), QuarantineKeyKinds.Study);
            }
            catch (KeyringException ex) when (ex.Reason == KeyringFailureReason.StudyShredded)
            {
                // Shredded meanwhile: never recreate its key; the quarantine key protects the copy instead.
            }
        }

        return (await _keyring.GetOrCreateQuarantineKeyAsync(cancellationToken).ConfigureAwait(false), QuarantineKeyKinds.Quarantine);
    }
}
