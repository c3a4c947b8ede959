using Azure.Core.Cryptography;
using CloudArchive.Core.Crypto;

namespace CloudArchive.Core.Keys;

/// <summary>
/// Resolves <c>urn:cloudarchive:study:{studyKey}</c> key ids through the keyring, translating keyring failures into
/// the decryption failure reasons (a shredded study → <see cref="EnvelopeFailureReason.KeyDestroyed"/>).
/// </summary>
internal sealed class StudyKeyResolver(Keyring keyring) : IKeyEncryptionKeyResolver
{
    public IKeyEncryptionKey Resolve(string keyId, CancellationToken cancellationToken = default)
        => ResolveAsync(keyId, cancellationToken).GetAwaiter().GetResult();

    public async Task<IKeyEncryptionKey> ResolveAsync(string keyId, CancellationToken cancellationToken = default)
    {
        var studyKey = KeyringNames.StudyKeyFromKeyId(keyId)
            ?? throw new EnvelopeDecryptionException(EnvelopeFailureReason.KeyNotFound, "The blob's key id is not a CloudArchive study key id.", keyId: keyId);
        try
        {
            return await keyring.GetExistingStudyKeyAsync(studyKey, disposeAfterUnwrap: true, cancellationToken).ConfigureAwait(false);
        }
        catch (KeyringException ex)
        {
            var reason = ex.Reason switch
            {
                KeyringFailureReason.StudyShredded => EnvelopeFailureReason.KeyDestroyed,
                KeyringFailureReason.KeyNotFound => EnvelopeFailureReason.KeyNotFound,
                KeyringFailureReason.UnwrapFailed when ex.InnerException is KeyNotFoundException => EnvelopeFailureReason.KeyNotFound,
                _ => EnvelopeFailureReason.WrongKey,
            };
            var message = reason == EnvelopeFailureReason.KeyDestroyed
                ? "key destroyed: the study key was crypto-shredded, so this data is unrecoverable by design."
                : ex.Message;
            throw new EnvelopeDecryptionException(reason, message, keyId: keyId, innerException: ex);
        }
    }
}
