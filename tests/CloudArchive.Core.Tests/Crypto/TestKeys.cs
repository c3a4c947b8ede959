using System.Security.Cryptography;
using Azure.Core.Cryptography;
using CloudArchive.Core.Crypto;

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
internal sealed class NonSeekableStream(Stream inner) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, 1000));

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
