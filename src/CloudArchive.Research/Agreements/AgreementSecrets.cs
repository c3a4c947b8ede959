using System.Security.Cryptography;
using CloudArchive.Core.Keys;
using CloudArchive.Deidentification;

namespace CloudArchive.Research.Agreements;

/// <summary>
/// Turns the keyring's plain agreement secret into the de-identifier's <see cref="ProjectSecret"/>, so the keyring
/// knows nothing of de-identification and the secret bytes are zeroed as soon as the derived keys exist.
/// </summary>
internal static class AgreementSecrets
{
    /// <summary>The agreement's de-identification secret, created on first use.</summary>
    public static async Task<ProjectSecret> GetOrCreateProjectSecretAsync(this Keyring keyring, string agreementId, CancellationToken cancellationToken)
    {
        var bytes = await keyring.GetOrCreateAgreementSecretAsync(agreementId, cancellationToken).ConfigureAwait(false);
        try
        {
            return new ProjectSecret(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
