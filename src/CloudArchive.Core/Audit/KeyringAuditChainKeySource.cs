using CloudArchive.Core.Keys;

namespace CloudArchive.Core.Audit;

/// <summary>
/// The audit chain key from the keyring, fetched once and kept. The keyring is resolved lazily because the keyring
/// audits through the writer that needs this key.
/// </summary>
/// <remarks>
/// No lock here on purpose: creating the key audits "audit-chain-key-created" through the writer, which asks this
/// source again from inside that creation. The keyring caches a new entry before it audits it, so the inner call is
/// answered from its cache; a lock held across the outer call would deadlock it.
/// </remarks>
public sealed class KeyringAuditChainKeySource : IAuditChainKeySource, IDisposable
{
    private readonly Func<Keyring> _keyring;
    private AuditChainKey? _key;

    /// <summary>Creates the source.</summary>
    public KeyringAuditChainKeySource(Func<Keyring> keyring) => _keyring = keyring ?? throw new ArgumentNullException(nameof(keyring));

    /// <inheritdoc />
    public async Task<AuditChainKey> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _key) is { } key)
        {
            return key;
        }

        var fetched = await _keyring().GetOrCreateAuditChainKeyAsync(cancellationToken).ConfigureAwait(false);
        var winner = Interlocked.CompareExchange(ref _key, fetched, null);
        if (winner is not null)
        {
            fetched.Dispose();
            return winner;
        }

        return fetched;
    }

    /// <summary>Clears the key.</summary>
    public void Dispose() => _key?.Dispose();
}
