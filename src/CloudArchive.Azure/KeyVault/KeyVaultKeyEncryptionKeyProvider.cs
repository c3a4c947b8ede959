using Azure.Core.Cryptography;
using CloudArchive.Core.Crypto;

namespace CloudArchive.Azure.KeyVault;

/// <summary>
/// The production KEK provider: the current version of a Key Vault / Managed HSM key wraps new study keys; any
/// version of any key in the same vault resolves for unwrapping. Rotation (<see cref="RotateAsync"/>) creates a new
/// version; <c>cloudarchive keys rewrap</c> then moves study keys onto it.
/// </summary>
public sealed class KeyVaultKeyEncryptionKeyProvider : IKeyEncryptionKeyProvider
{
    /// <summary>RSA-OAEP with SHA-256, for RSA / RSA-HSM keys.</summary>
    public const string RsaOaep256 = "RSA-OAEP-256";

    private readonly KeyVaultKeyClient _client;
    private readonly KeyVaultKekOptions _options;
    private readonly KeyVaultKeyIdentifier _keyName;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private KeyVaultKeyEncryptionKey? _current;
    private DateTimeOffset _currentFetched;
    private string? _detectedAlgorithm;

    /// <summary>Creates the provider.</summary>
    public KeyVaultKeyEncryptionKeyProvider(KeyVaultKeyClient client, KeyVaultKekOptions options, TimeProvider? timeProvider = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _keyName = KeyVaultKeyIdentifier.Parse(options.KeyUri.ToString());
        if (!string.Equals(_keyName.VaultUri.Authority, client.VaultUri.Authority, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("The KEK key URI is not in the client's vault.", nameof(options));
        }

        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The wrap algorithm (configured, or detected from the key type on first use; RSA-OAEP-256 until then).</summary>
    public string WrapAlgorithm => _options.WrapAlgorithm ?? _detectedAlgorithm ?? RsaOaep256;

    /// <inheritdoc />
    public bool IsInsecure => false;

    /// <inheritdoc />
    public string Description => $"Key Vault key {_keyName.VaultUri.Host}/keys/{_keyName.Name}";

    /// <inheritdoc />
    public bool CanResolve(string keyId)
        => KeyVaultKeyIdentifier.TryParse(keyId, out var id) && id.Version is not null
           && string.Equals(id.VaultUri.Authority, _keyName.VaultUri.Authority, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public async ValueTask<IKeyEncryptionKey> GetCurrentKeyAsync(CancellationToken cancellationToken = default)
    {
        var current = _current;
        if (current is not null && _time.GetUtcNow() - _currentFetched < _options.CurrentVersionRefresh)
        {
            return current;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_current is not null && _time.GetUtcNow() - _currentFetched < _options.CurrentVersionRefresh)
            {
                return _current;
            }

            var key = await _client.GetKeyAsync(_keyName.Name, null, cancellationToken).ConfigureAwait(false);
            Adopt(key);
            return _current!;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Rotates the key in the vault and makes the new version current immediately.</summary>
    /// <returns>The new versioned kid.</returns>
    public async Task<string> RotateAsync(CancellationToken cancellationToken = default)
    {
        var key = await _client.RotateKeyAsync(_keyName.Name, cancellationToken).ConfigureAwait(false);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Adopt(key);
            return key.KeyId;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public IKeyEncryptionKey Resolve(string keyId, CancellationToken cancellationToken = default)
    {
        if (!CanResolve(keyId))
        {
            throw new KeyNotFoundException($"Key id '{keyId}' is not a versioned key of vault {_keyName.VaultUri.Host}.");
        }

        return new KeyVaultKeyEncryptionKey(_client, keyId);
    }

    /// <inheritdoc />
    public Task<IKeyEncryptionKey> ResolveAsync(string keyId, CancellationToken cancellationToken = default)
        => Task.FromResult(Resolve(keyId, cancellationToken));

    private void Adopt(KeyVaultKey key)
    {
        if (!key.Enabled)
        {
            throw new KeyVaultException("get", 200, "KeyDisabled", "The current KEK version is disabled; enable it or rotate.", null);
        }

        _detectedAlgorithm = key.KeyType.StartsWith("oct", StringComparison.OrdinalIgnoreCase) ? AesKeyWrap.A256KW : RsaOaep256;
        _current = new KeyVaultKeyEncryptionKey(_client, key.KeyId);
        _currentFetched = _time.GetUtcNow();
    }
}
