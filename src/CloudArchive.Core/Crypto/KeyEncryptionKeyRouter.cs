using Azure.Core.Cryptography;

namespace CloudArchive.Core.Crypto;

/// <summary>
/// Resolves a key id through the first registered provider that claims it (e.g. <c>local:</c> ids to the local
/// provider, <c>https://…vault.azure.net/keys/…</c> ids to Key Vault), so study keys wrapped before a provider
/// change stay readable.
/// </summary>
public sealed class KeyEncryptionKeyRouter : IKeyEncryptionKeyResolver
{
    private readonly IReadOnlyList<IKeyEncryptionKeyProvider> _providers;

    /// <summary>Creates a router over <paramref name="providers"/>, consulted in order.</summary>
    public KeyEncryptionKeyRouter(IEnumerable<IKeyEncryptionKeyProvider> providers)
    {
        ArgumentNullException.ThrowIfNull(providers);
        _providers = providers.ToArray();
    }

    /// <inheritdoc />
    public IKeyEncryptionKey Resolve(string keyId, CancellationToken cancellationToken = default)
        => Find(keyId).Resolve(keyId, cancellationToken);

    /// <inheritdoc />
    public Task<IKeyEncryptionKey> ResolveAsync(string keyId, CancellationToken cancellationToken = default)
        => Find(keyId).ResolveAsync(keyId, cancellationToken);

    private IKeyEncryptionKeyProvider Find(string keyId)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        foreach (var p in _providers)
        {
            if (p.CanResolve(keyId))
            {
                return p;
            }
        }

        throw new KeyNotFoundException($"No configured key provider resolves key id '{keyId}'.");
    }
}
