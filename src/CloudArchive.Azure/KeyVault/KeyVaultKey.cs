namespace CloudArchive.Azure.KeyVault;

/// <summary>A Key Vault key bundle (public part and attributes). Private key material never leaves the vault.</summary>
/// <param name="KeyId">The versioned key id (<c>kid</c>): <c>https://{vault}/keys/{name}/{version}</c>.</param>
/// <param name="KeyType"><c>kty</c>: RSA, RSA-HSM, EC, EC-HSM, oct-HSM.</param>
/// <param name="KeyOperations"><c>key_ops</c>.</param>
/// <param name="Enabled"><c>attributes.enabled</c>.</param>
/// <param name="Created"><c>attributes.created</c>.</param>
/// <param name="Updated"><c>attributes.updated</c>.</param>
/// <param name="RecoveryLevel"><c>attributes.recoveryLevel</c> (e.g. Recoverable+Purgeable).</param>
/// <param name="Modulus">RSA <c>n</c>, if RSA.</param>
/// <param name="Exponent">RSA <c>e</c>, if RSA.</param>
/// <param name="Tags"><c>tags</c>.</param>
public sealed record KeyVaultKey(
    string KeyId,
    string KeyType,
    IReadOnlyList<string> KeyOperations,
    bool Enabled,
    DateTimeOffset? Created,
    DateTimeOffset? Updated,
    string? RecoveryLevel,
    byte[]? Modulus,
    byte[]? Exponent,
    IReadOnlyDictionary<string, string> Tags)
{
    /// <summary>The parsed key id.</summary>
    public KeyVaultKeyIdentifier Identifier => KeyVaultKeyIdentifier.Parse(KeyId);
}
