using System.Security.Cryptography;
using CloudArchive.Core.Audit.Seals;

namespace CloudArchive.Azure.Audit;

/// <summary>
/// The development seal signing key: an EC P-256 private key in a PEM file (owner-only, created on first use beside the
/// local KEK files), signing ES256. Key id <c>local:{16 hex of SHA-256(public key)}</c>; it verifies only its own
/// signatures. INSECURE like the local KEK: whoever reads the file can forge seals. Production signs in Key Vault.
/// </summary>
public sealed class LocalAuditSealSigner : IAuditSealSigner, IDisposable
{
    /// <summary>The key file's name inside the local key directory.</summary>
    public const string FileName = "audit-seal-signing.pem";

    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly ECDsa _key;
    private readonly string _keyId;

    /// <summary>Loads the key from <paramref name="path"/>, creating it (owner-only) when absent.</summary>
    /// <exception cref="CryptographicException">The file is not an EC P-256 private key, or others may read it.</exception>
    public LocalAuditSealSigner(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _key = ECDsa.Create();
        _key.ImportFromPem(LoadOrCreate(Path.GetFullPath(path)));
        if (_key.KeySize != 256)
        {
            throw new CryptographicException("The local seal signing key must be an EC P-256 key.");
        }

        _keyId = "local:" + Convert.ToHexStringLower(SHA256.HashData(_key.ExportSubjectPublicKeyInfo()).AsSpan(0, 8));
    }

    /// <inheritdoc />
    public string Algorithm => "ES256";

    /// <inheritdoc />
    public Task<string> GetKeyIdAsync(CancellationToken cancellationToken) => Task.FromResult(_keyId);

    /// <inheritdoc />
    public Task<byte[]> SignAsync(string keyId, ReadOnlyMemory<byte> digest, CancellationToken cancellationToken)
    {
        if (keyId != _keyId)
        {
            throw new CryptographicException("The local seal signer holds only its own key.");
        }

        return Task.FromResult(_key.SignHash(digest.Span, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    /// <inheritdoc />
    public Task<bool> VerifyAsync(string keyId, string algorithm, ReadOnlyMemory<byte> digest, ReadOnlyMemory<byte> signature, CancellationToken cancellationToken)
        => Task.FromResult(keyId == _keyId && algorithm == Algorithm && _key.VerifyHash(digest.Span, signature.Span, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

    /// <summary>Releases the key.</summary>
    public void Dispose() => _key.Dispose();

    private static string LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            using var created = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var pem = created.ExportECPrivateKeyPem();
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options);
                writer.Write(pem);
                return pem;
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first: use theirs.
            }
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & GroupOrOther) != 0)
        {
            throw new CryptographicException($"The seal signing key {path} is readable or writable by others; make it owner-only (chmod 600).");
        }

        return File.ReadAllText(path);
    }
}
