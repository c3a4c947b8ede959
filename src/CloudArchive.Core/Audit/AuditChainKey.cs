using System.Security.Cryptography;
using System.Text;

namespace CloudArchive.Core.Audit;

/// <summary>
/// The secret key of the keyed hash chain (format v2): each line's <c>prevHash</c> is HMAC-SHA256 under this key, so
/// whoever can rewrite a blob but does not hold the key cannot recompute a chain that verifies. Held in the keyring,
/// wrapped by the KEK (<c>audit-chain-key.json</c>); a copy lives only in the writer's and verifier's memory.
/// </summary>
public sealed class AuditChainKey : IDisposable
{
    /// <summary>The key length in bytes.</summary>
    public const int Length = 32;

    private readonly byte[] _key;

    /// <summary>Copies <paramref name="key"/> (32 bytes); the caller may clear its own copy.</summary>
    public AuditChainKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != Length)
        {
            throw new ArgumentException($"An audit chain key is {Length} bytes.", nameof(key));
        }

        _key = key.ToArray();
    }

    /// <summary>Lowercase hex HMAC-SHA256 of a line's bytes (without its line feed).</summary>
    public string Mac(ReadOnlySpan<byte> line) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, line));

    /// <summary>The <c>prevHash</c> of the first keyed line of <paramref name="blobName"/>.</summary>
    public string Genesis(string blobName)
    {
        ArgumentNullException.ThrowIfNull(blobName);
        return Mac(Encoding.UTF8.GetBytes(AuditChain.KeyedGenesisPrefix + blobName));
    }

    /// <summary>An incremental HMAC under this key, for hashing a line read in pieces.</summary>
    internal IncrementalHash CreateIncremental() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);

    /// <summary>Clears the key from memory.</summary>
    public void Dispose() => CryptographicOperations.ZeroMemory(_key);
}
