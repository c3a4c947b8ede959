using System.Globalization;
using CloudArchive.Core.Archive;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Crypto;
using CloudArchive.Core.Keys;

namespace CloudArchive.Core.Ingest.Quarantine;

/// <summary>
/// What operators do with the quarantine (<c>cloudarchive quarantine list|show|retry|release</c>), each action audited
/// with its DICOM event id: list (110112 query), show (110103: the copy is decrypted to read non-PHI header facts),
/// retry (110104: the decrypted upload is streamed back into <c>incoming</c> under an opaque name, the copy is then
/// deleted and the reason document says so), release (110105: copy and reason deleted; refused under legal hold,
/// and the refusal is audited as 110113).
/// </summary>
public sealed class QuarantineOperations
{
    /// <summary>Prefix of the <c>incoming</c> names that retries write (<c>retry/{id}.dcm</c>).</summary>
    public const string RetryPrefix = "retry/";

    private readonly IQuarantineStore _store;
    private readonly IIncomingWriter _incoming;
    private readonly string _incomingContainer;
    private readonly Keyring _keyring;
    private readonly ILegalHoldQuery _holds;
    private readonly AuditLogWriter _audit;
    private readonly TimeProvider _time;

    /// <summary>Creates the operations.</summary>
    /// <param name="store">The quarantine container.</param>
    /// <param name="incoming">Where retries are written.</param>
    /// <param name="incomingContainer">The name of the <c>incoming</c> container.</param>
    /// <param name="keyring">Resolves study keys and the quarantine key.</param>
    /// <param name="holds">Legal holds by study.</param>
    /// <param name="audit">The audit log.</param>
    /// <param name="timeProvider">Clock.</param>
    public QuarantineOperations(IQuarantineStore store, IIncomingWriter incoming, string incomingContainer, Keyring keyring, ILegalHoldQuery holds, AuditLogWriter audit, TimeProvider? timeProvider = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _incoming = incoming ?? throw new ArgumentNullException(nameof(incoming));
        ArgumentException.ThrowIfNullOrEmpty(incomingContainer);
        _incomingContainer = incomingContainer;
        _keyring = keyring ?? throw new ArgumentNullException(nameof(keyring));
        _holds = holds ?? throw new ArgumentNullException(nameof(holds));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Every quarantined upload, newest first, paging through the store. Audited as one query.</summary>
    public async Task<IReadOnlyList<QuarantineEntry>> ListAsync(AuditActor actor, CancellationToken cancellationToken)
    {
        var entries = await ReadAllAsync(_store, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await AuditAsync(actor, AuditEventType.Query, AuditAction.Execute, AuditOutcome.Success, null, null, [QuarantineAuditDetails.Listed, "count=" + entries.Count.ToString(CultureInfo.InvariantCulture)], cancellationToken).ConfigureAwait(false);
        return entries;
    }

    /// <summary>Every quarantined upload, newest first (no audit: reason documents hold codes and opaque keys only).</summary>
    public static async Task<IReadOnlyList<QuarantineEntry>> ReadAllAsync(IQuarantineStore store, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var entries = new List<QuarantineEntry>();
        string? token = null;
        do
        {
            var page = await store.ListAsync(token, 500, cancellationToken).ConfigureAwait(false);
            foreach (var id in page.Ids)
            {
                var blob = await store.ReadReasonAsync(id, cancellationToken).ConfigureAwait(false);
                if (blob is not null)
                {
                    entries.Add(Entry(id, blob, now));
                }
            }

            token = page.ContinuationToken;
        }
        while (token is not null);

        return entries.OrderByDescending(e => e.Record?.Time ?? now - (e.Age ?? TimeSpan.Zero)).ToList();
    }

    /// <summary>The reason document of <paramref name="id"/> and the copy's non-PHI header facts (decrypted in memory and a temp file).</summary>
    /// <exception cref="QuarantineException">Not found, copy gone, or undecryptable.</exception>
    public async Task<(QuarantineEntry Entry, QuarantineHeaderFacts Facts)> ShowAsync(string id, AuditActor actor, CancellationToken cancellationToken)
    {
        var (entry, record) = await ReadAsync(id, cancellationToken).ConfigureAwait(false);
        QuarantineHeaderFacts facts;
        var copy = await OpenDecryptedAsync(id, cancellationToken).ConfigureAwait(false);
        await using (copy.ConfigureAwait(false))
        {
            using var namer = await _keyring.GetIndexKeyNamerAsync(cancellationToken).ConfigureAwait(false);
            facts = await QuarantineHeaderReader.ReadAsync(copy, namer, cancellationToken).ConfigureAwait(false);
        }

        await AuditAsync(actor, AuditEventType.InstancesAccessed, AuditAction.Read, AuditOutcome.Success, record.StudyKey, record.InstanceKey, [QuarantineAuditDetails.Shown, ImportAuditDetails.QuarantineIdPrefix + id], cancellationToken).ConfigureAwait(false);
        return (entry, facts);
    }

    /// <summary>
    /// Streams the decrypted upload back into <c>incoming</c> as <c>retry/{id}.dcm</c> (with its upload reference),
    /// records the retry in the reason document, then deletes the copy. Safe to repeat: a retry interrupted after the
    /// write finds its own upload in place and finishes; one that already finished returns the same name.
    /// </summary>
    /// <returns>The <c>incoming</c> name written.</returns>
    /// <exception cref="QuarantineException">Not found, or undecryptable.</exception>
    public async Task<string> RetryAsync(string id, AuditActor actor, CancellationToken cancellationToken)
    {
        var (_, record) = await ReadAsync(id, cancellationToken).ConfigureAwait(false);
        var target = RetryPrefix + id + ".dcm";
        if (record.RetriedAt is not null)
        {
            // Retried already; an interruption may have left the copy, which the retry would have deleted.
            await _store.DeleteCopyAsync(id, cancellationToken).ConfigureAwait(false);
            return record.RetriedAs ?? target;
        }

        var copy = await TryOpenDecryptedAsync(id, cancellationToken).ConfigureAwait(false);
        if (copy is not null)
        {
            await using (copy.ConfigureAwait(false))
            {
                var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
                if (record.UploadRef is { } reference && UploadReference.ParseOrNull(reference) is not null)
                {
                    metadata[UploadReference.MetadataName] = reference;
                }

                // Create-only: a name already taken is this retry's own earlier write (the name is keyed by the id).
                await _incoming.TryCreateAsync(_incomingContainer, target, copy, metadata, cancellationToken).ConfigureAwait(false);
            }
        }

        var current = await _store.ReadReasonAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new QuarantineException(QuarantineFailureReason.NotFound, $"Quarantined upload {id} vanished during the retry.");
        var updated = ParseOrThrow(id, current) with { RetriedAt = _time.GetUtcNow(), RetriedAs = target };
        if (!await _store.TryReplaceReasonAsync(id, updated.ToJson(), current.ETag, cancellationToken).ConfigureAwait(false))
        {
            throw new QuarantineException(QuarantineFailureReason.NotFound, $"The reason document of {id} changed during the retry; run it again.");
        }

        await _store.DeleteCopyAsync(id, cancellationToken).ConfigureAwait(false);
        await AuditAsync(actor, AuditEventType.InstancesTransferred, AuditAction.Create, AuditOutcome.Success, record.StudyKey, record.InstanceKey, [QuarantineAuditDetails.Retried, ImportAuditDetails.QuarantineIdPrefix + id], cancellationToken).ConfigureAwait(false);
        return target;
    }

    /// <summary>Deletes the copy and its reason document. Refused (and audited) while a legal hold covers the study.</summary>
    /// <param name="id">The quarantine id.</param>
    /// <param name="why">The operator's reason code (letters, digits, <c>.</c>, <c>_</c>, <c>-</c>).</param>
    /// <param name="actor">Who.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="QuarantineException">Not found, or under legal hold.</exception>
    public async Task ReleaseAsync(string id, string why, AuditActor actor, CancellationToken cancellationToken)
    {
        var whyDetail = QuarantineAuditDetails.WhyPrefix + why;
        var (_, record) = await ReadAsync(id, cancellationToken).ConfigureAwait(false);
        var tags = await _store.GetTagsAsync(id, cancellationToken).ConfigureAwait(false);
        var held = tags?.GetValueOrDefault(ArchiveMetadata.HoldTag) == "1"
            || (record.StudyKey is { } study && await _holds.IsStudyOnHoldAsync(study, cancellationToken).ConfigureAwait(false));
        if (held)
        {
            await AuditAsync(actor, AuditEventType.SecurityAlert, AuditAction.Delete, AuditOutcome.MinorFailure, record.StudyKey, record.InstanceKey, [QuarantineAuditDetails.ReleaseRefused, "legal-hold", ImportAuditDetails.QuarantineIdPrefix + id], cancellationToken).ConfigureAwait(false);
            throw new QuarantineException(QuarantineFailureReason.LegalHold, $"Quarantined upload {id} belongs to a study under legal hold; it cannot be released until the hold ends.");
        }

        await _store.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
        await AuditAsync(actor, AuditEventType.StudyDeleted, AuditAction.Delete, AuditOutcome.Success, record.StudyKey, record.InstanceKey, [QuarantineAuditDetails.Released, whyDetail, ImportAuditDetails.QuarantineIdPrefix + id], cancellationToken).ConfigureAwait(false);
    }

    private static QuarantineEntry Entry(string id, QuarantineReasonBlob blob, DateTimeOffset now)
    {
        try
        {
            var record = QuarantineRecord.Parse(blob.Json.Span);
            return new QuarantineEntry(id, record, now - record.Time);
        }
        catch (FormatException ex)
        {
            return new QuarantineEntry(id, null, blob.LastModified is { } modified ? now - modified : null, ex.Message);
        }
    }

    private static QuarantineRecord ParseOrThrow(string id, QuarantineReasonBlob blob)
    {
        try
        {
            return QuarantineRecord.Parse(blob.Json.Span);
        }
        catch (FormatException ex)
        {
            throw new QuarantineException(QuarantineFailureReason.CorruptReason, $"The reason document of {id} is not readable: {ex.Message}", ex);
        }
    }

    private async Task<(QuarantineEntry Entry, QuarantineRecord Record)> ReadAsync(string id, CancellationToken cancellationToken)
    {
        if (!QuarantineNames.IsValidId(id))
        {
            throw new QuarantineException(QuarantineFailureReason.NotFound, "Not a quarantine id (26 lowercase base32 characters).");
        }

        var blob = await _store.ReadReasonAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new QuarantineException(QuarantineFailureReason.NotFound, $"No quarantined upload has id {id}.");
        var record = ParseOrThrow(id, blob);
        return (new QuarantineEntry(id, record, _time.GetUtcNow() - record.Time), record);
    }

    private async Task<Stream> OpenDecryptedAsync(string id, CancellationToken cancellationToken) =>
        await TryOpenDecryptedAsync(id, cancellationToken).ConfigureAwait(false)
        ?? throw new QuarantineException(QuarantineFailureReason.CopyGone, $"The copy of {id} is gone (it was retried); only its reason document remains.");

    private async Task<Stream?> TryOpenDecryptedAsync(string id, CancellationToken cancellationToken)
    {
        var copy = await _store.OpenCopyAsync(id, cancellationToken).ConfigureAwait(false);
        if (copy is null)
        {
            return null;
        }

        try
        {
            var decryptor = new EnvelopeDecryptor(_keyring.QuarantineKeyResolver);
            return new OwningStream(await decryptor.OpenReadAsync(copy.Content, copy.Metadata, QuarantineNames.Copy(id), copy.Length, leaveOpen: true, cancellationToken: cancellationToken).ConfigureAwait(false), copy);
        }
        catch (EnvelopeDecryptionException ex)
        {
            await copy.DisposeAsync().ConfigureAwait(false);
            throw new QuarantineException(QuarantineFailureReason.Undecryptable, $"The copy of {id} cannot be decrypted ({ex.Reason}).", ex);
        }
        catch
        {
            await copy.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private Task AuditAsync(AuditActor actor, AuditEventType type, AuditAction action, AuditOutcome outcome, string? studyKey, string? instanceKey, IReadOnlyList<string> details, CancellationToken cancellationToken) =>
        _audit.AppendAsync(
            new AuditEvent
            {
                EventType = type,
                Action = action,
                Outcome = outcome,
                Actor = actor ?? throw new ArgumentNullException(nameof(actor)),
                Study = OpaqueKey.IsValid(studyKey) ? new OpaqueKey(studyKey!) : null,
                Instance = OpaqueKey.IsValid(instanceKey) ? new OpaqueKey(instanceKey!) : null,
                Details = details,
            },
            cancellationToken);
}
