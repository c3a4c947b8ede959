using System.Security.Cryptography;
using System.Text;
using CloudArchive.Core.Audit.Seals;
using Xunit;

namespace CloudArchive.Core.Tests.Audit.Seals;

public sealed class MerkleTreeBuilderTests
{
    // RFC 6962 §2.1, written recursively as the RFC states it, to check the streaming builder against.
    private static byte[] Mth(IReadOnlyList<byte[]> leaves)
    {
        if (leaves.Count == 0)
        {
            return SHA256.HashData([]);
        }

        if (leaves.Count == 1)
        {
            return SHA256.HashData([0x00, .. leaves[0]]);
        }

        var k = 1;
        while (k * 2 < leaves.Count)
        {
            k *= 2;
        }

        return SHA256.HashData([0x01, .. Mth(leaves.Take(k).ToList()), .. Mth(leaves.Skip(k).ToList())]);
    }

    [Fact]
    public void The_empty_tree_hash_is_sha256_of_nothing()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", new MerkleTreeBuilder().Root());
    }

    [Fact]
    public void One_leaf_is_its_leaf_hash_with_the_0x00_prefix()
    {
        var builder = new MerkleTreeBuilder();
        builder.AddLeaf([]);

        // RFC 6962 test vector: the hash of the empty leaf.
        Assert.Equal("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", builder.Root());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(13)]
    [InlineData(64)]
    [InlineData(100)]
    public void The_streamed_root_equals_the_recursive_definition(int count)
    {
        var leaves = Enumerable.Range(0, count).Select(i => Encoding.UTF8.GetBytes($"{{\"seq\":{i}}}")).ToList();
        var builder = new MerkleTreeBuilder();
        foreach (var leaf in leaves)
        {
            builder.AddLeaf(leaf);
        }

        Assert.Equal(count, builder.Count);
        Assert.Equal(Convert.ToHexStringLower(Mth(leaves)), builder.Root());
    }

    [Fact]
    public void Swapping_two_leaves_changes_the_root()
    {
        var a = new MerkleTreeBuilder();
        var b = new MerkleTreeBuilder();
        a.AddLeaf("x"u8);
        a.AddLeaf("y"u8);
        b.AddLeaf("y"u8);
        b.AddLeaf("x"u8);

        Assert.NotEqual(a.Root(), b.Root());
    }
}
