namespace CloudArchive.Azure.Composition;

/// <summary>Where the key-encryption key lives (<c>CloudArchive:Keys:Provider</c>).</summary>
public enum KeyProviderKind
{
    /// <summary>Not set, or not valid: no key provider can be built.</summary>
    None,

    /// <summary>An RSA-HSM key in Key Vault or Managed HSM.</summary>
    KeyVault,

    /// <summary>A local RSA key directory: development only, insecure.</summary>
    Local,
}
