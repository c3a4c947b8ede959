using System.Security.Cryptography;
using System.Text;
using Azure.Core.Cryptography;
using CloudArchive.Core.Crypto;

namespace CloudArchive.Core.Keys;

/// <summary>
/// The keyring: per-study 256-bit keys and the index key, each wrapped by the KEK and stored with the KEK's
/// versioned id. Creation is race-safe across processes (create-only write; a loser adopts the winner's key),
/// unwrapped keys are cached (bounded, TTL), <see cref="RewrapAsync"/> moves entries to the current KEK version
/// after a rotation, and <see cref="ShredStudyAsync"/> destroys a study key for good.
/// </summary>
public sealed class Keyring : IDisposable
{
    private const int KeyLength = 32;
    private const int LockStripes = 64;

    private readonly IKeyringStore _store;
    private readonly IKeyEncryptionKeyProvider _kek;
    private readonly IKeyEncryptionKeyResolver _unwrapResolver;
    private readonly ILegalHoldQuery _holds;
    private readonly IKeyAuditSink _audit;
    private readonly TimeProvider _time;
    private readonly StudyKeyCache _cache;
    private readonly SemaphoreSlim[] _stripes;

    /// <summary>Creates a keyring.</summary>
    /// <param name="store">Where entries live.</param>
    /// <param name="kek">Wraps new and re-wrapped keys with its current version.</param>
    /// <param name="legalHolds">Consulted before every shred.</param>
    /// <param name="audit">Receives key-management events.</param>
    /// <param name="options">Cache tuning.</param>
    /// <param name="unwrapResolver">Resolves the KEK ids stored in entries; defaults to <paramref name="kek"/>. Use a
    /// <see cref="KeyEncryptionKeyRouter"/> when entries may be wrapped by more than one provider.</param>
    /// <param name="timeProvider">Clock (tests use a fake).</param>
    public Keyring(IKeyringStore store, IKeyEncryptionKeyProvider kek, ILegalHoldQuery legalHolds, IKeyAuditSink audit, KeyringOptions? options = null, IKeyEncryptionKeyResolver? unwrapResolver = null, TimeProvider? timeProvider = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _kek = kek ?? throw new ArgumentNullException(nameof(kek));
        _holds = legalHolds ?? throw new ArgumentNullException(nameof(legalHolds));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _unwrapResolver = unwrapResolver ?? kek;
        _time = timeProvider ?? TimeProvider.System;
        options ??= new KeyringOptions();
        _cache = new StudyKeyCache(options.CacheCapacity, options.CacheTimeToLive, _time);
        _stripes = Enumerable.Range(0, LockStripes).Select(_ => new SemaphoreSlim(1, 1)).ToArray();
    }

    /// <summary>Number of unwrapped keys currently cached.</summary>
    public int CachedKeyCount => _cache.Count;

    /// <summary>
    /// Returns the study's key, creating it if the study is new. Concurrent callers — in this process or others —
    /// all receive the same key. Dispose the result to zero the copy.
    /// </summary>
    /// <exception cref="KeyringException"><see cref="KeyringFailureReason.StudyShredded"/> if the study was shredded.</exception>
    public async Task<SymmetricKeyEncryptionKey> GetOrCreateStudyKeyAsync(string studyKey, CancellationToken cancellationToken = default)
    {
        var name = KeyringNames.Study(studyKey);
        await ThrowIfShreddedAsync(studyKey, name, cancellationToken).ConfigureAwait(false);
        var key = await GetOrCreateAsync(name, "study", studyKey, cancellationToken).ConfigureAwait(false);
        return Wrap(studyKey, key, disposeAfterUnwrap: false);
    }

    /// <summary>Returns an existing study key (for reading). Dispose the result to zero the copy.</summary>
    /// <exception cref="KeyringException">
    /// <see cref="KeyringFailureReason.StudyShredded"/> (key destroyed), <see cref="KeyringFailureReason.KeyNotFound"/>,
    /// <see cref="KeyringFailureReason.UnwrapFailed"/> or <see cref="KeyringFailureReason.CorruptEntry"/>.
    /// </exception>
    public async Task<SymmetricKeyEncryptionKey> GetStudyKeyAsync(string studyKey, CancellationToken cancellationToken = default)
    {
        var key = await GetExistingStudyKeyAsync(studyKey, disposeAfterUnwrap: false, cancellationToken).ConfigureAwait(false);
        return key;
    }

    /// <summary>
    /// A resolver for the key ids found in archive blobs (<c>urn:cloudarchive:study:{studyKey}</c>), for
    /// <see cref="EnvelopeDecryptor"/>. Failures surface as <see cref="EnvelopeDecryptionException"/> with
    /// <see cref="EnvelopeFailureReason.KeyDestroyed"/> for shredded studies.
    /// </summary>
    public IKeyEncryptionKeyResolver StudyKeyResolver => new StudyKeyResolver(this);

    /// <summary>
    /// Returns the quarantine key (256 random bits wrapped by the KEK, created on first use): it encrypts quarantine
    /// copies whose study is unknown (unreadable uploads) or whose study key must not be used. Dispose the result.
    /// </summary>
    public Task<SymmetricKeyEncryptionKey> GetOrCreateQuarantineKeyAsync(CancellationToken cancellationToken = default)
        => GetOrCreateQuarantineKeyAsync(disposeAfterUnwrap: false, cancellationToken);

    /// <summary>
    /// A resolver for quarantine copies: <c>urn:cloudarchive:quarantine</c> resolves to the quarantine key, study key
    /// ids as <see cref="StudyKeyResolver"/> does (a shredded study → <see cref="EnvelopeFailureReason.KeyDestroyed"/>).
    /// </summary>
    public IKeyEncryptionKeyResolver QuarantineKeyResolver => new QuarantineKeyResolver(this);

    /// <summary>Returns the namer for opaque study/instance keys, creating the index key on first use.</summary>
    public async Task<OpaqueKeyNamer> GetIndexKeyNamerAsync(CancellationToken cancellationToken = default)
    {
        var key = await GetOrCreateAsync(KeyringNames.IndexKey, "index", null, cancellationToken).ConfigureAwait(false);
        try
        {
            return new OpaqueKeyNamer(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>
    /// Returns the audit chain key (the HMAC key of the audit log's keyed chain), creating it on first use; stored like
    /// the index key, wrapped by the KEK. Its creation is audited through the audit writer, which already finds it in
    /// this keyring's cache by then.
    /// </summary>
    public async Task<Audit.AuditChainKey> GetOrCreateAuditChainKeyAsync(CancellationToken cancellationToken = default)
    {
        var key = await GetOrCreateAsync(KeyringNames.AuditChainKey, "audit-chain", null, cancellationToken, KeyAuditAction.AuditChainKeyCreated).ConfigureAwait(false);
        try
        {
            return new Audit.AuditChainKey(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>
    /// Returns the de-identification secret of a research agreement (256 bits), creating it on first use. Stored like
    /// a study key (random bits wrapped by the KEK), so it is re-wrapped on KEK rotation and the same agreement yields
    /// the same pseudonyms, UIDs and date offsets on every export run. The caller owns the returned array and must
    /// zero it (<see cref="CryptographicOperations.ZeroMemory(Span{byte})"/>) when it has derived what it needs.
    /// </summary>
    public Task<byte[]> GetOrCreateAgreementSecretAsync(string agreementId, CancellationToken cancellationToken = default)
        => GetOrCreateAsync(KeyringNames.Agreement(agreementId), "agreement", null, cancellationToken, KeyAuditAction.AgreementSecretCreated);

    /// <summary>
    /// Re-wraps every entry not yet wrapped by the KEK's current version (after a rotation). Paged, resumable
    /// through <see cref="RewrapOptions.ContinuationToken"/>, idempotent (current entries are skipped), safe to run
    /// concurrently with ingest and with another rewrap (compare-and-swap on the ETag).
    /// </summary>
    public Task<RewrapResult> RewrapAsync(RewrapOptions? options = null, CancellationToken cancellationToken = default)
        => new KeyRewrapper(_store, _kek, _audit, _time, UnwrapAsync).RewrapAsync(options, cancellationToken);

    /// <summary>
    /// Crypto-shreds a study: deletes its keyring entry with every snapshot and version, so every copy of its
    /// ciphertext (backups included) becomes unreadable. Refused under legal hold. Audited either way.
    /// Every process stops using a cached copy as soon as this returns: each use of a study key first reads the
    /// study's tombstone, which is written before the key is deleted (docs/lifecycle/retention.md).
    /// </summary>
    /// <exception cref="KeyringException"><see cref="KeyringFailureReason.LegalHold"/> when the study is held.</exception>
    public async Task<ShredResult> ShredStudyAsync(ShredRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = KeyringNames.Study(request.StudyKey);
        if (await _holds.IsStudyOnHoldAsync(request.StudyKey, cancellationToken).ConfigureAwait(false))
        {
            await _audit.RecordAsync(new KeyAuditEvent(KeyAuditAction.StudyKeyShredRefused, _time.GetUtcNow(), false, request.StudyKey, Actor: request.Actor, Reason: "legal hold"), cancellationToken).ConfigureAwait(false);
            throw new KeyringException(KeyringFailureReason.LegalHold, $"Study {request.StudyKey} is under legal hold; its key cannot be shredded until the hold is released.", name);
        }

        var now = _time.GetUtcNow();
        // The tombstone goes first so that a concurrent creator sees the shred and never recreates the key.
        await _store.TryCreateAsync(KeyringNames.Tombstone(request.StudyKey), Tombstone(now), cancellationToken).ConfigureAwait(false);
        bool existed = await _store.DeleteAllVersionsAsync(name, cancellationToken).ConfigureAwait(false);
        _cache.Remove(name);
        await _audit.RecordAsync(new KeyAuditEvent(KeyAuditAction.StudyKeyShredded, now, true, request.StudyKey, Actor: request.Actor, Reason: request.Reason), cancellationToken).ConfigureAwait(false);
        return new ShredResult(request.StudyKey, existed, now);
    }

    /// <summary>Zeroes and drops every cached key.</summary>
    public void Dispose()
    {
        _cache.Dispose();
        foreach (var s in _stripes)
        {
            s.Dispose();
        }
    }

    internal async Task<SymmetricKeyEncryptionKey> GetOrCreateQuarantineKeyAsync(bool disposeAfterUnwrap, CancellationToken cancellationToken)
    {
        var key = await GetOrCreateAsync(KeyringNames.QuarantineKey, "quarantine", null, cancellationToken, KeyAuditAction.QuarantineKeyCreated).ConfigureAwait(false);
        try
        {
            return new SymmetricKeyEncryptionKey(KeyringNames.QuarantineKeyId, key, disposeAfterUnwrap);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    internal async Task<SymmetricKeyEncryptionKey> GetExistingStudyKeyAsync(string studyKey, bool disposeAfterUnwrap, CancellationToken cancellationToken)
    {
        var name = KeyringNames.Study(studyKey);
        await ThrowIfShreddedAsync(studyKey, name, cancellationToken).ConfigureAwait(false);
        var key = new byte[KeyLength];
        try
        {
            if (!_cache.TryGet(name, key))
            {
                var doc = await _store.GetAsync(name, cancellationToken).ConfigureAwait(false);
                if (doc is null)
                {
                    CryptographicOperations.ZeroMemory(key);
                    throw await AbsentAsync(studyKey, name, cancellationToken).ConfigureAwait(false);
                }

                var unwrapped = await UnwrapAsync(name, doc, cancellationToken).ConfigureAwait(false);
                unwrapped.CopyTo(key, 0);
                CryptographicOperations.ZeroMemory(unwrapped);
                _cache.Set(name, key);
            }

            return Wrap(studyKey, key, disposeAfterUnwrap);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>
    /// The tombstone is read before the cache on every use of a study key: a shred in another process takes effect
    /// there with the next use, not when that process's cached copy expires. It costs one small read (a 404 for a
    /// live study) per use.
    /// </summary>
    private async Task ThrowIfShreddedAsync(string studyKey, string name, CancellationToken cancellationToken)
    {
        if (await _store.GetAsync(KeyringNames.Tombstone(studyKey), cancellationToken).ConfigureAwait(false) is not null)
        {
            _cache.Remove(name);
            throw new KeyringException(KeyringFailureReason.StudyShredded, $"The key of study {studyKey} was destroyed (crypto-shredded); its data is unrecoverable and no new instance is accepted.", name);
        }
    }

    private static byte[] Tombstone(DateTimeOffset when)
        => Encoding.UTF8.GetBytes($"{{\"schema\":1,\"kind\":\"shredded\",\"shredded\":\"{when.UtcDateTime:O}\"}}");

    private static SymmetricKeyEncryptionKey Wrap(string studyKey, byte[] key, bool disposeAfterUnwrap)
    {
        try
        {
            return new SymmetricKeyEncryptionKey(KeyringNames.StudyKeyId(studyKey), key, disposeAfterUnwrap);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private async Task<KeyringException> AbsentAsync(string studyKey, string name, CancellationToken cancellationToken)
    {
        var tombstone = await _store.GetAsync(KeyringNames.Tombstone(studyKey), cancellationToken).ConfigureAwait(false);
        return tombstone is not null
            ? new KeyringException(KeyringFailureReason.StudyShredded, $"The key of study {studyKey} was destroyed (crypto-shredded); its data is unrecoverable.", name)
            : new KeyringException(KeyringFailureReason.KeyNotFound, $"The keyring holds no key for study {studyKey}.", name);
    }

    private async Task<byte[]> GetOrCreateAsync(string name, string kind, string? studyKey, CancellationToken cancellationToken, KeyAuditAction? createdAction = null)
    {
        var key = new byte[KeyLength];
        if (_cache.TryGet(name, key))
        {
            return key;
        }

        // Serialize creators of the same entry inside this process so a burst of ingests costs one KEK call.
        var stripe = _stripes[StripeOf(name)];
        KeyAuditEvent? created = null;
        await stripe.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_cache.TryGet(name, key))
            {
                return key;
            }

            var existing = await _store.GetAsync(name, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                if (studyKey is not null && await _store.GetAsync(KeyringNames.Tombstone(studyKey), cancellationToken).ConfigureAwait(false) is not null)
                {
                    throw new KeyringException(KeyringFailureReason.StudyShredded, $"Study {studyKey} was crypto-shredded; a new key will not be created for it.", name);
                }

                RandomNumberGenerator.Fill(key);
                var current = await _kek.GetCurrentKeyAsync(cancellationToken).ConfigureAwait(false);
                var wrapped = await current.WrapKeyAsync(_kek.WrapAlgorithm, key, cancellationToken).ConfigureAwait(false);
                var entry = new WrappedKeyEntry(kind, current.KeyId, _kek.WrapAlgorithm, wrapped, _time.GetUtcNow(), null);
                if (await _store.TryCreateAsync(name, entry.ToJson(), cancellationToken).ConfigureAwait(false))
                {
                    if (studyKey is not null && await _store.GetAsync(KeyringNames.Tombstone(studyKey), cancellationToken).ConfigureAwait(false) is not null)
                    {
                        // A shred ran between our check and our write: undo, never resurrect a shredded study.
                        await _store.DeleteAllVersionsAsync(name, cancellationToken).ConfigureAwait(false);
                        CryptographicOperations.ZeroMemory(key);
                        throw new KeyringException(KeyringFailureReason.StudyShredded, $"Study {studyKey} was crypto-shredded; a new key will not be created for it.", name);
                    }

                    _cache.Set(name, key);
                    var action = createdAction ?? (studyKey is null ? KeyAuditAction.IndexKeyCreated : KeyAuditAction.StudyKeyCreated);
                    created = new KeyAuditEvent(action, entry.Created, true, studyKey, current.KeyId);
                    return key;
                }

                // Lost the race: adopt the winner's key.
                CryptographicOperations.ZeroMemory(key);
                existing = await _store.GetAsync(name, cancellationToken).ConfigureAwait(false)
                    ?? throw new KeyringException(KeyringFailureReason.Contention, $"Keyring entry {name} was created and deleted concurrently; retry.", name);
            }

            var unwrapped = await UnwrapAsync(name, existing, cancellationToken).ConfigureAwait(false);
            unwrapped.CopyTo(key, 0);
            CryptographicOperations.ZeroMemory(unwrapped);
            _cache.Set(name, key);
            return key;
        }
        catch
        {
            CryptographicOperations.ZeroMemory(key);
            throw;
        }
        finally
        {
            stripe.Release();
            if (created is not null)
            {
                // Audited after the stripe is released: the audit writer needs the audit chain key, which is created
                // through this same method and may hash to the same stripe (or be the entry just created).
                await RecordCreatedAsync(created, key, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The lock stripe that serializes creators of the keyring entry <paramref name="name"/>.</summary>
    internal static int StripeOf(string name) => (StringComparer.Ordinal.GetHashCode(name) & int.MaxValue) % LockStripes;

    private async Task RecordCreatedAsync(KeyAuditEvent created, byte[] key, CancellationToken cancellationToken)
    {
        try
        {
            await _audit.RecordAsync(created, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // As before the audit moved out of the lock: a creation whose audit line fails hands out no key.
            CryptographicOperations.ZeroMemory(key);
            throw;
        }
    }

    private async Task<byte[]> UnwrapAsync(string name, KeyringDocument doc, CancellationToken cancellationToken)
    {
        var entry = WrappedKeyEntry.Parse(doc.Content, name);
        byte[] key;
        try
        {
            var kek = await _unwrapResolver.ResolveAsync(entry.KekKeyId, cancellationToken).ConfigureAwait(false)
                ?? throw new KeyNotFoundException("resolver returned no key");
            key = await kek.UnwrapKeyAsync(entry.Algorithm, entry.WrappedKey, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not KeyringException)
        {
            throw new KeyringException(KeyringFailureReason.UnwrapFailed, $"Keyring entry {name} could not be unwrapped with KEK {entry.KekKeyId}.", name, ex);
        }

        if (key.Length != KeyLength)
        {
            CryptographicOperations.ZeroMemory(key);
            throw new KeyringException(KeyringFailureReason.CorruptEntry, $"Keyring entry {name} does not hold a 256-bit key.", name);
        }

        return key;
    }
}
