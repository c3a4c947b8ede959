namespace CloudArchive.Core.Crypto;

/// <summary>Where the local development KEK lives (<c>CloudArchive__Keys__LocalKeyFile</c>).</summary>
public sealed class LocalKeyEncryptionKeyOptions
{
    /// <summary>
    /// The key directory. Version <c>N</c> is the PKCS#8 PEM file <c>v{N}.pem</c> inside it; the directory is created
    /// 0700 and each file 0600 on first use.
    /// </summary>
    public required string KeyPath { get; init; }

    /// <summary>RSA modulus size for new versions (3072 by default, as the Key Vault KEK).</summary>
    public int KeySizeInBits { get; init; } = 3072;
}
