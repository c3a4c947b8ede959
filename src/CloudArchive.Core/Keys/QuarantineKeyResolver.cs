using Azure.Core.Cryptography;
using CloudArchive.Core.Crypto;

namespace CloudArchive.Core.Keys;

/// <summary>
/// Resolves the key ids found on quarantine copies: the quarantine key, or a study key (through
/// <see cref="StudyKeyResolver"/>, so a shredded study fails with <see cref="EnvelopeFailureReason.KeyDestroyed"/>).
/// </summary>
internal sealed class QuarantineKeyResolver(Keyring keyring) : IKeyEncryptionKeyResolver
{
    public IKeyEncryptionKey Resolve(string keyId, CancellationToken cancellationToken = default)
        => ResolveAsync(keyId, cancellationToken).GetAwaiter().GetResult();

    public async Task<IKeyEncryptionKey> ResolveAsync(string keyId, CancellationToken cancellationToken = default)
    {
        if (!string.Equals(keyId, KeyringNames.QuarantineKeyId, StringComparison.Ordinal))
        {
            return await new StudyKeyResolver(keyring).ResolveAsync(keyId, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await keyring.GetOrCreateQuarantineKeyAsync(disposeAfterUnwrap: true, cancellationToken).ConfigureAwait(false);
        }
        catch (KeyringException ex)
        {
            throw new EnvelopeDecryptionException(EnvelopeFailureReason.WrongKey, ex.Message, keyId: keyId, innerException: ex);
        }
    }
}
