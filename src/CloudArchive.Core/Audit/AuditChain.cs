using System.Security.Cryptography;
using System.Text;

namespace CloudArchive.Core.Audit;

/// <summary>
/// The hash chain rules. A keyed line (format v2, what the writer produces) carries in <c>prevHash</c> the lowercase
/// hex HMAC-SHA256, under the audit chain key (<see cref="AuditChainKey"/>), of line n-1's exact bytes excluding its
/// line feed; the first line of a blob chains to the HMAC of <see cref="KeyedGenesisPrefix"/> plus the blob name. A
/// legacy line (format v1, written before the key existed) carries the unkeyed SHA-256 of line n-1's bytes, with the
/// public genesis below; legacy logs still verify, but anyone could recompute them, so only the seals vouch for them.
/// Which rule applies is decided by the line's own <c>v</c>, so a blob begun in v1 continues in v2 after an upgrade. Line 1 of every blob chains to a genesis value derived from the
/// blob's own name, so each blob verifies on its own, a line copied into another blob does not verify,
/// and a writer never has to find its previous blob (which may be hours or days back) before writing.
/// Whole-blob deletion and truncation after the last line are outside what a chain can show; the hourly
/// seals (docs/architecture.md §6) cover them.
/// </summary>
public static class AuditChain
{
    /// <summary>The domain-separation prefix of the genesis value.</summary>
    public const string GenesisPrefix = "cloudarchive-audit/v1 genesis ";

    /// <summary>The domain-separation prefix of the keyed genesis value.</summary>
    public const string KeyedGenesisPrefix = "cloudarchive-audit/v2 genesis ";

    /// <summary>The <c>prevHash</c> of the first line of the blob <paramref name="blobName"/>:
    /// SHA-256 hex of the UTF-8 bytes of <c>"cloudarchive-audit/v1 genesis " + blobName</c>.</summary>
    public static string GenesisHash(string blobName)
    {
        ArgumentNullException.ThrowIfNull(blobName);
        return Hash(Encoding.UTF8.GetBytes(GenesisPrefix + blobName));
    }

    /// <summary>Lowercase hex SHA-256 of a line's bytes (without its line feed).</summary>
    public static string Hash(ReadOnlySpan<byte> line) => Convert.ToHexStringLower(SHA256.HashData(line));
}
