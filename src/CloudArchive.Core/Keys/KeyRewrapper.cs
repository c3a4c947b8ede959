using System.Security.Cryptography;
using Azure.Core.Cryptography;
using CloudArchive.Core.Crypto;

namespace CloudArchive.Core.Keys;

/// <summary>
/// Moves keyring entries to the KEK's current version after a rotation (<see cref="Keyring.RewrapAsync"/>): each entry
/// wrapped by an older version is unwrapped and wrapped again, and replaced only if it did not change meanwhile.
/// </summary>
/// <param name="store">Where entries live.</param>
/// <param name="kek">The KEK whose current version wraps the entries.</param>
/// <param name="audit">Receives the rewrap's summary event.</param>
/// <param name="time">Clock.</param>
/// <param name="unwrap">The keyring's unwrap of one entry (typed <see cref="KeyringException"/> on failure).</param>
internal sealed class KeyRewrapper(IKeyringStore store, IKeyEncryptionKeyProvider kek, IKeyAuditSink audit, TimeProvider time, Func<string, KeyringDocument, CancellationToken, Task<byte[]>> unwrap)
{
    private const int MaxReplaceAttempts = 5;

    private enum RewrapOutcome
    {
        Done,
        Current,
        Gone,
        Failed,
    }

    /// <summary>
    /// Re-wraps every entry not yet wrapped by the KEK's current version (after a rotation). Paged, resumable
    /// through <see cref="RewrapOptions.ContinuationToken"/>, idempotent (current entries are skipped), safe to run
    /// concurrently with ingest and with another rewrap (compare-and-swap on the ETag).
    /// </summary>
    public async Task<RewrapResult> RewrapAsync(RewrapOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RewrapOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PageSize, 1);
        var current = await kek.GetCurrentKeyAsync(cancellationToken).ConfigureAwait(false);
        long scanned = 0, rewrapped = 0, skipped = 0, vanished = 0;
        var failures = new List<(string, string)>();
        string? token = options.ContinuationToken;
        int pages = 0;
        do
        {
            if (options.MaxPages is { } max && pages >= max)
            {
                break;
            }

            var pageToken = token;
            var page = await store.ListAsync(string.Empty, token, options.PageSize, cancellationToken).ConfigureAwait(false);
            foreach (var name in page.Names)
            {
                if (!IsKeyEntry(name))
                {
                    continue;
                }

                scanned++;
                var outcome = await RewrapEntryAsync(name, current, cancellationToken).ConfigureAwait(false);
                switch (outcome.Kind)
                {
                    case RewrapOutcome.Done: rewrapped++; break;
                    case RewrapOutcome.Current: skipped++; break;
                    case RewrapOutcome.Gone: vanished++; break;
                    default: failures.Add((name, outcome.Reason!)); break;
                }

                options.Progress?.Report(new RewrapProgress(scanned, rewrapped, skipped, vanished, failures.Count) { ResumeToken = pageToken });
            }

            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null);

        var totals = new RewrapProgress(scanned, rewrapped, skipped, vanished, failures.Count) { ResumeToken = token };
        await audit.RecordAsync(new KeyAuditEvent(KeyAuditAction.KeysRewrapped, time.GetUtcNow(), failures.Count == 0, KekKeyId: current.KeyId, Actor: options.Actor, Count: rewrapped), cancellationToken).ConfigureAwait(false);
        return new RewrapResult(totals, current.KeyId, token, failures);
    }

    private static bool IsKeyEntry(string name)
        => name == KeyringNames.IndexKey || name == KeyringNames.AuditChainKey
            || name == KeyringNames.QuarantineKey
            || ((name.StartsWith(KeyringNames.StudiesPrefix, StringComparison.Ordinal) || name.StartsWith(KeyringNames.AgreementsPrefix, StringComparison.Ordinal))
                && name.EndsWith(".json", StringComparison.Ordinal));

    private async Task<(RewrapOutcome Kind, string? Reason)> RewrapEntryAsync(string name, IKeyEncryptionKey current, CancellationToken cancellationToken)
    {
        for (int attempt = 0; attempt < MaxReplaceAttempts; attempt++)
        {
            var doc = await store.GetAsync(name, cancellationToken).ConfigureAwait(false);
            if (doc is null)
            {
                return (RewrapOutcome.Gone, null);
            }

            WrappedKeyEntry entry;
            byte[] key;
            try
            {
                entry = WrappedKeyEntry.Parse(doc.Content, name);
                if (string.Equals(entry.KekKeyId, current.KeyId, StringComparison.Ordinal))
                {
                    return (RewrapOutcome.Current, null);
                }

                key = await unwrap(name, doc, cancellationToken).ConfigureAwait(false);
            }
            catch (KeyringException ex)
            {
                return (RewrapOutcome.Failed, ex.Reason.ToString());
            }

            byte[] wrapped;
            try
            {
                wrapped = await current.WrapKeyAsync(kek.WrapAlgorithm, key, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }

            var updated = entry with { KekKeyId = current.KeyId, Algorithm = kek.WrapAlgorithm, WrappedKey = wrapped, Rewrapped = time.GetUtcNow() };
            if (await store.TryReplaceAsync(name, updated.ToJson(), doc.ETag, cancellationToken).ConfigureAwait(false))
            {
                return (RewrapOutcome.Done, null);
            }
        }

        return (RewrapOutcome.Failed, KeyringFailureReason.Contention.ToString());
    }
}
