using System.Security.Cryptography;

namespace CloudArchive.Core.Audit.Seals;

/// <summary>
/// The RFC 6962 §2.1 Merkle Tree Hash over a sequence of leaves, built as the leaves stream in: leaf hash
/// SHA-256(0x00 ‖ leaf), node hash SHA-256(0x01 ‖ left ‖ right), the empty tree SHA-256 of nothing. Memory is one
/// hash per level (at most 64), so a million lines cost the same as ten.
/// </summary>
/// <remarks>
/// RFC 6962 splits n leaves at the largest power of two below n, so the tree is a row of perfect subtrees of
/// decreasing size; the stack holds their roots, merging equal sizes as leaves arrive, and <see cref="Root"/> folds
/// them right to left.
/// </remarks>
public sealed class MerkleTreeBuilder
{
    private readonly List<(long Size, byte[] Hash)> _stack = [];

    /// <summary>How many leaves were added.</summary>
    public long Count { get; private set; }

    /// <summary>Adds one leaf (an audit line's bytes, without its line feed).</summary>
    public void AddLeaf(ReadOnlySpan<byte> leaf) => AddLeafHash(LeafHash(leaf));

    /// <summary>Adds a leaf by its leaf hash (SHA-256(0x00 ‖ leaf)), e.g. one computed while streaming the leaf.</summary>
    public void AddLeafHash(byte[] leafHash)
    {
        ArgumentNullException.ThrowIfNull(leafHash);
        var node = (Size: 1L, Hash: leafHash);
        while (_stack.Count > 0 && _stack[^1].Size == node.Size)
        {
            var left = _stack[^1];
            _stack.RemoveAt(_stack.Count - 1);
            node = (left.Size * 2, NodeHash(left.Hash, node.Hash));
        }

        _stack.Add(node);
        Count++;
    }

    /// <summary>The Merkle Tree Hash of the leaves so far, lowercase hex.</summary>
    public string Root()
    {
        if (_stack.Count == 0)
        {
            return Convert.ToHexStringLower(SHA256.HashData(ReadOnlySpan<byte>.Empty));
        }

        var root = _stack[^1].Hash;
        for (var i = _stack.Count - 2; i >= 0; i--)
        {
            root = NodeHash(_stack[i].Hash, root);
        }

        return Convert.ToHexStringLower(root);
    }

    /// <summary>SHA-256(0x00 ‖ leaf).</summary>
    public static byte[] LeafHash(ReadOnlySpan<byte> leaf)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData([0x00]);
        hash.AppendData(leaf);
        return hash.GetHashAndReset();
    }

    private static byte[] NodeHash(byte[] left, byte[] right)
    {
        Span<byte> buffer = stackalloc byte[65];
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[33..]);
        return SHA256.HashData(buffer);
    }
}
