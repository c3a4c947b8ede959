using System.Security.Cryptography;
using CloudArchive.Azure.KeyVault;
using CloudArchive.Core.Crypto;
using CloudArchive.Core.Keys;
using Xunit;

namespace CloudArchive.Azure.Tests.KeyVault;

public sealed class KeyVaultKeyEncryptionKeyProviderTests : IAsyncLifetime
{
    private LoopbackKeyVault _vault = null!;
    private KeyVaultKeyClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _vault = await LoopbackKeyVault.StartAsync();
        _client = new KeyVaultKeyClient(_vault.VaultUri, new FakeTokenCredential(), _vault.ClientOptions());
    }

    public async ValueTask DisposeAsync() => await _vault.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private KeyVaultKeyEncryptionKeyProvider NewProvider(string name = "kek")
        => new(_client, new KeyVaultKekOptions { KeyUri = new Uri(_vault.VaultUri, "/keys/" + name), CurrentVersionRefresh = TimeSpan.Zero });

    [Fact]
    public async Task The_current_key_is_the_latest_version_and_its_versioned_kid_wraps()
    {
        var created = await _client.CreateKeyAsync("kek", new CreateKeyOptions { KeyType = "RSA-HSM", KeySize = 2048 }, Ct);
        var provider = NewProvider();
        var current = await provider.GetCurrentKeyAsync(Ct);
        Assert.Equal(created.KeyId, current.KeyId);
        Assert.Equal("RSA-OAEP-256", provider.WrapAlgorithm);
        Assert.False(provider.IsInsecure);
        var wrapped = await current.WrapKeyAsync(provider.WrapAlgorithm, new byte[32], Ct);
        Assert.Equal(new byte[32], await (await provider.ResolveAsync(created.KeyId, Ct)).UnwrapKeyAsync("RSA-OAEP-256", wrapped, Ct));
    }

    [Fact]
    public async Task After_rotation_the_new_version_wraps_and_the_old_still_unwraps()
    {
        await _client.CreateKeyAsync("kek", new CreateKeyOptions { KeyType = "RSA-HSM", KeySize = 2048 }, Ct);
        var provider = NewProvider();
        var v1 = await provider.GetCurrentKeyAsync(Ct);
        var wrapped = await v1.WrapKeyAsync("RSA-OAEP-256", new byte[32], Ct);
        var v2kid = await provider.RotateAsync(Ct);
        Assert.NotEqual(v1.KeyId, v2kid);
        Assert.Equal(v2kid, (await provider.GetCurrentKeyAsync(Ct)).KeyId);
        Assert.True(provider.CanResolve(v1.KeyId));
        Assert.Equal(new byte[32], await provider.Resolve(v1.KeyId, Ct).UnwrapKeyAsync("RSA-OAEP-256", wrapped, Ct));
        var wrongVersion = provider.Resolve(v2kid, Ct);
        await Assert.ThrowsAsync<KeyVaultException>(() => wrongVersion.UnwrapKeyAsync("RSA-OAEP-256", wrapped, Ct));
    }

    [Fact]
    public async Task An_oct_HSM_key_selects_A256KW()
    {
        await _client.CreateKeyAsync("hsm", new CreateKeyOptions { KeyType = "oct-HSM", KeySize = 256 }, Ct);
        var provider = NewProvider("hsm");
        var current = await provider.GetCurrentKeyAsync(Ct);
        Assert.Equal("A256KW", provider.WrapAlgorithm);
        var wrapped = await current.WrapKeyAsync(provider.WrapAlgorithm, new byte[32], Ct);
        Assert.Equal(40, wrapped.Length);
    }

    [Fact]
    public void Only_versioned_kids_of_the_same_vault_resolve()
    {
        var provider = NewProvider();
        Assert.False(provider.CanResolve(new Uri(_vault.VaultUri, "/keys/kek").ToString()));
        Assert.False(provider.CanResolve("https://other.vault.azure.net/keys/kek/0123456789abcdef0123456789abcdef"));
        Assert.False(provider.CanResolve("local:0011223344556677/1"));
        Assert.Throws<KeyNotFoundException>(() => provider.Resolve("https://other.vault.azure.net/keys/kek/01", Ct));
    }

    [Fact]
    public async Task Keyring_with_the_vault_rotation_then_rewrap_then_decrypt_end_to_end()
    {
        await _client.CreateKeyAsync("kek", new CreateKeyOptions { KeyType = "RSA-HSM", KeySize = 2048 }, Ct);
        var provider = NewProvider();
        var store = new MemoryKeyringStore();
        var audit = new ListAuditSink();
        var plain = RandomNumberGenerator.GetBytes(10_000);
        byte[] blob;
        IReadOnlyDictionary<string, string> metadata;
        string v1;
        using (var keyring = new Keyring(store, provider, new NoHolds(), audit))
        {
            using var studyKey = await keyring.GetOrCreateStudyKeyAsync("studyA", Ct);
            (blob, metadata) = await EncryptAsync(plain, studyKey);
            v1 = (await provider.GetCurrentKeyAsync(Ct)).KeyId;
            Assert.Contains(v1, System.Text.Encoding.UTF8.GetString((await store.GetAsync("studies/studyA.json", Ct))!.Content), StringComparison.Ordinal);
        }

        var v2 = await provider.RotateAsync(Ct);
        using (var admin = new Keyring(store, provider, new NoHolds(), audit))
        {
            var result = await admin.RewrapAsync(new RewrapOptions { PageSize = 1 }, Ct);
            Assert.True(result.Complete);
            Assert.Equal(1, result.Totals.Rewrapped);
            Assert.Equal(v2, result.CurrentKekKeyId);
        }

        var entry = System.Text.Encoding.UTF8.GetString((await store.GetAsync("studies/studyA.json", Ct))!.Content);
        Assert.Contains(v2, entry, StringComparison.Ordinal);
        Assert.DoesNotContain(v1, entry, StringComparison.Ordinal);
        using var reader = new Keyring(store, provider, new NoHolds(), audit);
        var decryptor = new EnvelopeDecryptor(reader.StudyKeyResolver);
        await using var stream = await decryptor.OpenReadAsync(new MemoryStream(blob), metadata, BlobName, blob.Length, cancellationToken: Ct);
        var output = new MemoryStream();
        await stream.CopyToAsync(output, Ct);
        Assert.Equal(plain, output.ToArray());
    }

    [Fact]
    public async Task Study_keys_wrapped_by_the_local_kek_migrate_to_the_vault_by_rewrap()
    {
        var dir = Path.Combine(Path.GetTempPath(), "ca-migrate-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var local = new LocalKeyEncryptionKeyProvider(new LocalKeyEncryptionKeyOptions { KeyPath = dir, KeySizeInBits = 2048 });
            var store = new MemoryKeyringStore();
            var audit = new ListAuditSink();
            byte[] blob;
            IReadOnlyDictionary<string, string> metadata;
            var plain = RandomNumberGenerator.GetBytes(5000);
            using (var devKeyring = new Keyring(store, local, new NoHolds(), audit))
            {
                using var studyKey = await devKeyring.GetOrCreateStudyKeyAsync("s1", Ct);
                (blob, metadata) = await EncryptAsync(plain, studyKey);
            }

            await _client.CreateKeyAsync("kek", new CreateKeyOptions { KeyType = "RSA-HSM", KeySize = 2048 }, Ct);
            var vault = NewProvider();
            var router = new KeyEncryptionKeyRouter([vault, local]);
            using (var migrating = new Keyring(store, vault, new NoHolds(), audit, unwrapResolver: router))
            {
                var result = await migrating.RewrapAsync(cancellationToken: Ct);
                Assert.True(result.Complete);
                Assert.Equal(1, result.Totals.Rewrapped);
            }

            // Without the local key at all, the vault alone now opens the study.
            using var vaultOnly = new Keyring(store, vault, new NoHolds(), audit);
            var decryptor = new EnvelopeDecryptor(vaultOnly.StudyKeyResolver);
            await using var stream = await decryptor.OpenReadAsync(new MemoryStream(blob), metadata, BlobName, blob.Length, cancellationToken: Ct);
            var output = new MemoryStream();
            await stream.CopyToAsync(output, Ct);
            Assert.Equal(plain, output.ToArray());
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    /// <summary>The name the test envelopes are bound to (they are never stored).</summary>
    private const string BlobName = "studies/study/instance.dcm.enc";

    private static async Task<(byte[] Blob, IReadOnlyDictionary<string, string> Metadata)> EncryptAsync(byte[] plain, SymmetricKeyEncryptionKey key)
    {
        var encryptor = new EnvelopeEncryptor(new EnvelopeEncryptionOptions { RegionLength = 1024 });
        await using var enc = await encryptor.EncryptAsync(new MemoryStream(plain), key, cancellationToken: Ct);
        var output = new MemoryStream();
        await enc.CopyToAsync(output, Ct);
        return (output.ToArray(), enc.GetMetadata(BlobName));
    }
}
