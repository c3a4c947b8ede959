using System.Security.Cryptography;
using Azure.Core.Cryptography;
using CloudArchive.Core.Crypto;
using CloudArchive.Dicom;

namespace CloudArchive.Core.Tests.Crypto;

/// <summary>A resolver over a fixed set of keys, standing in for the keyring in format tests.</summary>
internal sealed class DictionaryKeyResolver : IKeyEncryptionKeyResolver
{
    private readonly Dictionary<string, IKeyEncryptionKey> _keys = new(StringComparer.Ordinal);

    public DictionaryKeyResolver(params IKeyEncryptionKey[] keys)
    {
        foreach (var k in keys)
        {
            _keys[k.KeyId] = k;
        }
    }

    public IKeyEncryptionKey Resolve(string keyId, CancellationToken cancellationToken = default)
        => _keys.TryGetValue(keyId, out var k) ? k : throw new KeyNotFoundException("no such key");

    public Task<IKeyEncryptionKey> ResolveAsync(string keyId, CancellationToken cancellationToken = default)
        => Task.FromResult(Resolve(keyId, cancellationToken));
}

internal static class TestKeys
{
    public static SymmetricKeyEncryptionKey NewStudyKey(string id = "urn:test:study:1")
        => new(id, RandomNumberGenerator.GetBytes(32));

    public static byte[] Data(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}

/// <summary>A stream that refuses to seek, like a network body.</summary>
internal sealed class NonSeekableStream(Stream inner) : ReadOnlyStream
{
    public override int Read(Span<byte> buffer) => inner.Read(buffer[..Math.Min(buffer.Length, 1000)]);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer[..Math.Min(buffer.Length, 1000)], cancellationToken);
}
