using System.Security.Cryptography;
using CloudArchive.Core.Crypto;
using Microsoft.Extensions.Logging;
using Xunit;

namespace CloudArchive.Core.Tests.Keys;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LocalKeyEncryptionKeyTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ca-localkek-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task First_use_generates_an_RSA_3072_key_readable_only_by_the_owner()
    {
        using var provider = new LocalKeyEncryptionKeyProvider(new LocalKeyEncryptionKeyOptions { KeyPath = _dir });
        var key = await provider.GetCurrentLocalKeyAsync(TestContext.Current.CancellationToken);
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(key.ExportPublicKey(), out _);
        Assert.Equal(3072, rsa.KeySize);
        Assert.Matches("^local:[0-9a-f]{16}/1$", key.KeyId);
        var file = Path.Combine(_dir, "v1.pem");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_dir));
        Assert.Single(Directory.GetFiles(_dir));
    }

    [Fact]
    public async Task Wrap_and_unwrap_use_RSA_OAEP_256_and_survive_a_new_process()
    {
        var cek = RandomNumberGenerator.GetBytes(32);
        byte[] wrapped;
        string kid;
        using (var a = new LocalKeyEncryptionKeyProvider(new LocalKeyEncryptionKeyOptions { KeyPath = _dir, KeySizeInBits = 2048 }))
        {
            var key = await a.GetCurrentKeyAsync(TestContext.Current.CancellationToken);
            kid = key.KeyId;
            wrapped = await key.WrapKeyAsync("RSA-OAEP-256", cek, TestContext.Current.CancellationToken);
        }

        using var b = new LocalKeyEncryptionKeyProvider(new LocalKeyEncryptionKeyOptions { KeyPath = _dir, KeySizeInBits = 2048 });
        var resolved = await b.ResolveAsync(kid, TestContext.Current.CancellationToken);
        Assert.Equal(cek, await resolved.UnwrapKeyAsync("RSA-OAEP-256", wrapped, TestContext.Current.CancellationToken));
        Assert.Equal(256, wrapped.Length);
    }

    [Fact]
    public async Task Concurrent_first_use_by_many_processes_yields_one_key()
    {
        var providers = Enumerable.Range(0, 6).Select(_ => new LocalKeyEncryptionKeyProvider(new LocalKeyEncryptionKeyOptions { KeyPath = _dir, KeySizeInBits = 2048 })).ToList();
        try
        {
            var keys = await Task.WhenAll(providers.Select(p => Task.Run(async () => await p.GetCurrentLocalKeyAsync(TestContext.Current.CancellationToken), TestContext.Current.CancellationToken)));
            var publicKeys = keys.Select(k => Convert.ToBase64String(k.ExportPublicKey())).Distinct().ToList();
            Assert.Single(publicKeys);
            Assert.Equal(["v1.pem"], Directory.GetFiles(_dir).Select(f => Path.GetFileName(f)).ToArray());
        }
        finally
        {
            providers.ForEach(p => p.Dispose());
        }
    }

    [Fact]
    public async Task Rotation_adds_a_version_and_old_versions_still_unwrap()
    {
        using var provider = new LocalKeyEncryptionKeyProvider(new LocalKeyEncryptionKeyOptions { KeyPath = _dir, KeySizeInBits = 2048 });
        var v1 = await provider.GetCurrentKeyAsync(TestContext.Current.CancellationToken);
        var wrapped = await v1.WrapKeyAsync("RSA-OAEP-256", new byte[32], TestContext.Current.CancellationToken);
        var v2 = await provider.RotateAsync(TestContext.Current.CancellationToken);
        Assert.EndsWith("/2", v2.KeyId, StringComparison.Ordinal);
        Assert.Equal(v2.KeyId, (await provider.GetCurrentKeyAsync(TestContext.Current.CancellationToken)).KeyId);
        Assert.Equal(new byte[32], await (await provider.ResolveAsync(v1.KeyId, TestContext.Current.CancellationToken)).UnwrapKeyAsync("RSA-OAEP-256", wrapped, TestContext.Current.CancellationToken));
        await Assert.ThrowsAnyAsync<CryptographicException>(() => v2.UnwrapKeyAsync("RSA-OAEP-256", wrapped, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_key_file_readable_by_others_is_refused()
    {
        using (var p = new LocalKeyEncryptionKeyProvider(new LocalKeyEncryptionKeyOptions { KeyPath = _dir, KeySizeInBits = 2048 }))
        {
            await p.GetCurrentKeyAsync(TestContext.Current.CancellationToken);
        }

        File.SetUnixFileMode(Path.Combine(_dir, "v1.pem"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        using var fresh = new LocalKeyEncryptionKeyProvider(new LocalKeyEncryptionKeyOptions { KeyPath = _dir, KeySizeInBits = 2048 });
        var ex = await Assert.ThrowsAsync<LocalKeyException>(async () => await fresh.GetCurrentKeyAsync(TestContext.Current.CancellationToken));
        Assert.Contains("chmod 600", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_key_ids_and_versions_are_not_found()
    {
        using var provider = new LocalKeyEncryptionKeyProvider(new LocalKeyEncryptionKeyOptions { KeyPath = _dir, KeySizeInBits = 2048 });
        var v1 = await provider.GetCurrentKeyAsync(TestContext.Current.CancellationToken);
        Assert.Throws<KeyNotFoundException>(() => provider.Resolve(v1.KeyId[..^1] + "7", TestContext.Current.CancellationToken));
        Assert.Throws<KeyNotFoundException>(() => provider.Resolve("local:0000000000000000/1", TestContext.Current.CancellationToken));
        Assert.False(provider.CanResolve("https://v.vault.azure.net/keys/k/abc"));
    }

    [Fact]
    public async Task Only_RSA_OAEP_256_is_accepted()
    {
        using var provider = new LocalKeyEncryptionKeyProvider(new LocalKeyEncryptionKeyOptions { KeyPath = _dir, KeySizeInBits = 2048 });
        var key = await provider.GetCurrentKeyAsync(TestContext.Current.CancellationToken);
        Assert.Throws<NotSupportedException>(() => key.WrapKey("RSA1_5", new byte[32], TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task PS256_signatures_verify_and_detect_changes()
    {
        using var provider = new LocalKeyEncryptionKeyProvider(new LocalKeyEncryptionKeyOptions { KeyPath = _dir, KeySizeInBits = 2048 });
        var key = await provider.GetCurrentLocalKeyAsync(TestContext.Current.CancellationToken);
        var digest = SHA256.HashData("merkle root"u8);
        var sig = key.SignDigest(digest);
        Assert.True(key.VerifyDigest(digest, sig));
        digest[0] ^= 1;
        Assert.False(key.VerifyDigest(digest, sig));
    }

    [Fact]
    public void The_provider_is_flagged_insecure_and_logs_a_warning()
    {
        var logger = new CapturingLogger();
        using var provider = new LocalKeyEncryptionKeyProvider(new LocalKeyEncryptionKeyOptions { KeyPath = _dir }, logger);
        Assert.True(provider.IsInsecure);
        Assert.Contains("INSECURE", provider.Description, StringComparison.Ordinal);
        var (level, message) = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Contains("INSECURE", message, StringComparison.Ordinal);
    }

    private sealed class CapturingLogger : ILogger
    {
        public List<(LogLevel, string)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => Entries.Add((logLevel, formatter(state, exception)));
    }
}
