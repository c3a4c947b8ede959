using System.Security.Cryptography;

namespace CloudArchive.Core.Ingest;

/// <summary>
/// Keyed content fingerprints. A plain SHA-256 of an upload stored in plaintext metadata would let anyone holding a
/// candidate file confirm that it is archived; an HMAC under a key derived from the index key cannot be checked
/// without the keyring.
/// </summary>
internal sealed class ContentMac : IDisposable
{
    private readonly byte[] _key;

    public ContentMac(ReadOnlySpan<byte> key) => _key = key.ToArray();

    /// <summary>Reads <paramref name="content"/> from its current position to the end and returns its MAC (lowercase hex).</summary>
    public async Task<(string Mac, long Length)> ComputeAsync(Stream content, CancellationToken cancellationToken)
    {
        using var hmac = CreateIncremental();
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            hmac.AppendData(buffer, 0, read);
            total += read;
        }

        return (Convert.ToHexStringLower(hmac.GetHashAndReset()), total);
    }

    /// <summary>The keyed MAC of a short text (e.g. an upload's name), so it can be compared without being revealed.</summary>
    public string ComputeText(string text) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, System.Text.Encoding.UTF8.GetBytes(text)));

    public IncrementalHash CreateIncremental() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);

    public void Dispose() => CryptographicOperations.ZeroMemory(_key);
}
