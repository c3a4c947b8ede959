using Azure.Core;
using CloudArchive.Azure.KeyVault;
using CloudArchive.Core.Crypto;
using Microsoft.Extensions.Logging;

namespace CloudArchive.Azure.Composition;

/// <summary>Builds the key-encryption key provider the settings name (<see cref="KeySettings"/> holds the rule).</summary>
public static class KeyEncryptionKeyProviderFactory
{
    /// <summary>Creates the provider.</summary>
    /// <exception cref="ArchiveConfigurationException">The key settings are invalid.</exception>
    public static IKeyEncryptionKeyProvider Create(KeySettings settings, Func<TokenCredential> credential, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(credential);
        switch (settings.Provider)
        {
            case KeyProviderKind.KeyVault:
                var keyUri = settings.KeyVaultKeyUri!;
                var id = KeyVaultKeyIdentifier.Parse(keyUri.AbsoluteUri);
                return new KeyVaultKeyEncryptionKeyProvider(new KeyVaultKeyClient(id.VaultUri, credential()), new KeyVaultKekOptions { KeyUri = keyUri });
            case KeyProviderKind.Local:
                return new LocalKeyEncryptionKeyProvider(
                    new LocalKeyEncryptionKeyOptions { KeyPath = settings.LocalKeyPath! },
                    loggers?.CreateLogger<LocalKeyEncryptionKeyProvider>());
            default:
                throw new ArchiveConfigurationException("key", settings.Problems);
        }
    }
}
