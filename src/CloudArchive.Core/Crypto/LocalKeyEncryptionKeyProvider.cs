using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Core.Cryptography;
using Microsoft.Extensions.Logging;

namespace CloudArchive.Core.Crypto;

/// <summary>
/// The local development KEK provider: RSA-3072 keys in PEM files under a configured directory, generated on first
/// use, rotated by adding a version; old versions stay for unwrapping. Key ids are
/// <c>local:&lt;16 hex of SHA-256(full path)&gt;/&lt;version&gt;</c>.
/// </summary>
/// <remarks>
/// INSECURE by design: the private key is a file readable by the owning account. It exists so the archive can run
/// against Azurite without Key Vault; <see cref="IsInsecure"/> is reported by <c>cloudarchive doctor</c> and a
/// warning is logged when the provider is created.
/// </remarks>
public sealed class LocalKeyEncryptionKeyProvider : IKeyEncryptionKeyProvider, IDisposable
{
    /// <summary>The warning logged and shown by diagnostics.</summary>
    public const string InsecureWarning = "INSECURE: the key-encryption key is a local RSA private key file, not an HSM key. Use it for development only; production must use Key Vault or Managed HSM.";

    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly string _directory;
    private readonly string _prefix;
    private readonly int _keySize;
    private readonly ConcurrentDictionary<int, LocalKeyEncryptionKey> _loaded = new();
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Creates the provider and logs the insecurity warning; no file is touched until a key is needed.</summary>
    public LocalKeyEncryptionKeyProvider(LocalKeyEncryptionKeyOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.KeyPath);
        if (options.KeySizeInBits < 2048)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Local RSA keys must be at least 2048 bits.");
        }

        _directory = Path.GetFullPath(options.KeyPath);
        _keySize = options.KeySizeInBits;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(_directory));
        _prefix = "local:" + Convert.ToHexStringLower(hash.AsSpan(0, 8)) + "/";
        logger?.LogWarning("{Warning} Key directory: {KeyDirectory}", InsecureWarning, _directory);
    }

    /// <inheritdoc />
    public string WrapAlgorithm => LocalKeyEncryptionKey.RsaOaep256;

    /// <inheritdoc />
    public bool IsInsecure => true;

    /// <inheritdoc />
    public string Description => $"local RSA key directory {_directory} (INSECURE, development only)";

    /// <summary>The key directory.</summary>
    public string KeyDirectory => _directory;

    /// <inheritdoc />
    public bool CanResolve(string keyId) => keyId is not null && keyId.StartsWith(_prefix, StringComparison.Ordinal);

    /// <inheritdoc />
    public async ValueTask<IKeyEncryptionKey> GetCurrentKeyAsync(CancellationToken cancellationToken = default)
        => await GetCurrentLocalKeyAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>The current version, creating version 1 on first use.</summary>
    public async ValueTask<LocalKeyEncryptionKey> GetCurrentLocalKeyAsync(CancellationToken cancellationToken = default)
    {
        int latest = LatestVersionOnDisk();
        if (latest == 0)
        {
            return await CreateVersionAsync(1, cancellationToken).ConfigureAwait(false);
        }

        return Load(latest);
    }

    /// <summary>Adds a new version and returns it. Two concurrent rotations both end on the same new version.</summary>
    public async ValueTask<LocalKeyEncryptionKey> RotateAsync(CancellationToken cancellationToken = default)
    {
        int latest = LatestVersionOnDisk();
        return await CreateVersionAsync(latest + 1, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public IKeyEncryptionKey Resolve(string keyId, CancellationToken cancellationToken = default)
    {
        if (!CanResolve(keyId) || !int.TryParse(keyId.AsSpan(_prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int version) || version < 1)
        {
            throw new KeyNotFoundException($"Key id '{keyId}' does not name a version of the local key at {_directory}.");
        }

        if (!File.Exists(VersionPath(version)))
        {
            throw new KeyNotFoundException($"Local key version {version} does not exist in {_directory} (deleted or a different machine's key).");
        }

        return Load(version);
    }

    /// <inheritdoc />
    public Task<IKeyEncryptionKey> ResolveAsync(string keyId, CancellationToken cancellationToken = default)
        => Task.FromResult(Resolve(keyId, cancellationToken));

    /// <summary>Releases loaded keys.</summary>
    public void Dispose()
    {
        foreach (var k in _loaded.Values)
        {
            k.Dispose();
        }

        _loaded.Clear();
        _gate.Dispose();
    }

    private string VersionPath(int version) => Path.Combine(_directory, "v" + version.ToString(CultureInfo.InvariantCulture) + ".pem");

    private int LatestVersionOnDisk()
    {
        if (!Directory.Exists(_directory))
        {
            return 0;
        }

        int latest = 0;
        foreach (var file in Directory.EnumerateFiles(_directory, "v*.pem"))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (int.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > latest)
            {
                latest = v;
            }
        }

        return latest;
    }

    private async ValueTask<LocalKeyEncryptionKey> CreateVersionAsync(int version, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var final = VersionPath(version);
            if (File.Exists(final))
            {
                return Load(version);
            }

            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(_directory);
            }
            else
            {
                Directory.CreateDirectory(_directory, OwnerOnlyDirectory);
            }

            // Write to a private temporary file, then publish with a no-overwrite move (link/unlink on Unix): a
            // concurrent process either sees no file or a complete one, and exactly one creator wins.
            var temp = Path.Combine(_directory, ".tmp-" + Guid.NewGuid().ToString("N") + ".pem");
            using (var rsa = RSA.Create(_keySize))
            {
                var der = rsa.ExportPkcs8PrivateKey();
                var pem = PemEncoding.Write("PRIVATE KEY", der);
                var bytes = Encoding.ASCII.GetBytes(pem);
                try
                {
                    var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
                    if (!OperatingSystem.IsWindows())
                    {
                        fileOptions.UnixCreateMode = OwnerOnlyFile;
                    }

                    await using (var fs = new FileStream(temp, fileOptions))
                    {
                        await fs.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                        fs.Flush(flushToDisk: true);
                    }
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(der);
                    CryptographicOperations.ZeroMemory(bytes);
                    Array.Clear(pem);
                }
            }

            try
            {
                File.Move(temp, final, overwrite: false);
            }
            catch (IOException) when (File.Exists(final))
            {
                // Another process published this version first: adopt its key.
            }
            finally
            {
                if (File.Exists(temp))
                {
                    File.Delete(temp);
                }
            }

            return Load(version);
        }
        finally
        {
            _gate.Release();
        }
    }

    private LocalKeyEncryptionKey Load(int version)
    {
        if (_loaded.TryGetValue(version, out var cached))
        {
            return cached;
        }

        var path = VersionPath(version);
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & GroupOrOther) != 0)
            {
                throw new LocalKeyException($"Refusing to use local key {path}: its permissions allow group/other access; restrict it to the owner (chmod 600).");
            }
        }

        var bytes = File.ReadAllBytes(path);
        var chars = Encoding.ASCII.GetChars(bytes);
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(chars);
        }
        catch (ArgumentException ex)
        {
            rsa.Dispose();
            throw new LocalKeyException($"Local key {path} is not a PEM RSA private key.", ex);
        }
        catch (CryptographicException ex)
        {
            rsa.Dispose();
            throw new LocalKeyException($"Local key {path} could not be read as an RSA private key.", ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
            Array.Clear(chars);
        }

        var key = new LocalKeyEncryptionKey(_prefix + version.ToString(CultureInfo.InvariantCulture), version, rsa);
        var winner = _loaded.GetOrAdd(version, key);
        if (!ReferenceEquals(winner, key))
        {
            key.Dispose();
        }

        return winner;
    }
}
