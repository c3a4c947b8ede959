using Azure.Core.Cryptography;
using CloudArchive.Core.Crypto;

namespace CloudArchive.Core.Tests.Keys;

/// <summary>A local KEK in a private temp directory, with call counters; deletes its directory on dispose.</summary>
internal sealed class TestKek : IKeyEncryptionKeyProvider, IDisposable
{
    private int _wraps;
    private int _unwraps;

    public TestKek(string? directory = null)
    {
        Directory = directory ?? Path.Combine(Path.GetTempPath(), "ca-kek-" + Guid.NewGuid().ToString("N"));
        Local = new LocalKeyEncryptionKeyProvider(new LocalKeyEncryptionKeyOptions { KeyPath = Directory, KeySizeInBits = 2048 });
    }

    public string Directory { get; }

    public LocalKeyEncryptionKeyProvider Local { get; }

    public int Wraps => _wraps;

    public int Unwraps => _unwraps;

    public string WrapAlgorithm => Local.WrapAlgorithm;

    public bool IsInsecure => true;

    public string Description => Local.Description;

    public bool CanResolve(string keyId) => Local.CanResolve(keyId);

    public async ValueTask<IKeyEncryptionKey> GetCurrentKeyAsync(CancellationToken cancellationToken = default)
        => new Counting(await Local.GetCurrentKeyAsync(cancellationToken), this);

    public IKeyEncryptionKey Resolve(string keyId, CancellationToken cancellationToken = default)
        => new Counting(Local.Resolve(keyId, cancellationToken), this);

    public Task<IKeyEncryptionKey> ResolveAsync(string keyId, CancellationToken cancellationToken = default)
        => Task.FromResult(Resolve(keyId, cancellationToken));

    public void Dispose()
    {
        Local.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    /// <summary>A KEK that counts its owner's wraps and unwraps and forwards every call to the local key.</summary>
    internal sealed class Counting(IKeyEncryptionKey inner, TestKek owner) : IKeyEncryptionKey
    {
        public string KeyId => inner.KeyId;

        public byte[] WrapKey(string algorithm, ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref owner._wraps);
            return inner.WrapKey(algorithm, key, cancellationToken);
        }

        public Task<byte[]> WrapKeyAsync(string algorithm, ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref owner._wraps);
            return inner.WrapKeyAsync(algorithm, key, cancellationToken);
        }

        public byte[] UnwrapKey(string algorithm, ReadOnlyMemory<byte> encryptedKey, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref owner._unwraps);
            return inner.UnwrapKey(algorithm, encryptedKey, cancellationToken);
        }

        public Task<byte[]> UnwrapKeyAsync(string algorithm, ReadOnlyMemory<byte> encryptedKey, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref owner._unwraps);
            return inner.UnwrapKeyAsync(algorithm, encryptedKey, cancellationToken);
        }
    }
}
