namespace CloudArchive.Azure.KeyVault;

/// <summary>Which Key Vault key is the KEK (<c>CloudArchive__Keys__KeyId</c>).</summary>
public sealed class KeyVaultKekOptions
{
    /// <summary>The key URI without version, e.g. <c>https://myvault.vault.azure.net/keys/cloudarchive-kek</c>.</summary>
    public required Uri KeyUri { get; init; }

    /// <summary>
    /// The wrap algorithm; when null it follows the key type: <c>A256KW</c> for <c>oct-HSM</c> (Managed HSM), otherwise
    /// <c>RSA-OAEP-256</c>.
    /// </summary>
    public string? WrapAlgorithm { get; init; }

    /// <summary>How long the current version is trusted before asking the vault again (so a rotation is picked up).</summary>
    public TimeSpan CurrentVersionRefresh { get; init; } = TimeSpan.FromMinutes(5);
}
