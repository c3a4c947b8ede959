namespace CloudArchive.Core.Audit.Seals;

/// <summary>
/// Signs seals and checks their signatures: the Key Vault signing key <c>cloudarchive-audit-seal</c> (EC P-256, ES256)
/// in Azure, a local EC key file in development. Checking needs only the public key.
/// </summary>
public interface IAuditSealSigner
{
    /// <summary>The JWS algorithm of new signatures (<c>ES256</c>).</summary>
    string Algorithm { get; }

    /// <summary>The id of the key new seals are signed with (recorded in the seal before signing).</summary>
    Task<string> GetKeyIdAsync(CancellationToken cancellationToken);

    /// <summary>Signs a SHA-256 digest with the key <paramref name="keyId"/>; returns the raw signature (r ‖ s for ES256).</summary>
    Task<byte[]> SignAsync(string keyId, ReadOnlyMemory<byte> digest, CancellationToken cancellationToken);

    /// <summary>True when <paramref name="signature"/> is a valid signature of <paramref name="digest"/> by <paramref name="keyId"/>
    /// with <paramref name="algorithm"/>; false for a wrong signature, an unknown key or an unsupported algorithm.</summary>
    Task<bool> VerifyAsync(string keyId, string algorithm, ReadOnlyMemory<byte> digest, ReadOnlyMemory<byte> signature, CancellationToken cancellationToken);
}
