using System.Security.Cryptography;
using System.Text;

namespace CloudArchive.Deidentification;

/// <summary>
/// The per-project key from which every pseudonym, UID and date offset is derived (HMAC-SHA256). Without it the
/// mappings cannot be inverted or recomputed; with it they are identical on every run and every machine.
/// </summary>
public sealed class ProjectSecret
{
    /// <summary>The minimum key length in bytes (256 bits, the HMAC-SHA256 block-size recommendation of RFC 2104).</summary>
    public const int MinimumLength = 32;

    private readonly byte[] _key;

    /// <summary>Creates a secret from raw key bytes.</summary>
    /// <exception cref="ArgumentException">Fewer than <see cref="MinimumLength"/> bytes.</exception>
    public ProjectSecret(ReadOnlySpan<byte> key)
    {
        if (key.Length < MinimumLength)
        {
            throw new ArgumentException($"The project secret must be at least {MinimumLength} bytes.", nameof(key));
        }

        this._key = key.ToArray();
    }

    /// <summary>
    /// Reads a secret file: its bytes with surrounding ASCII whitespace removed (so a base64 or hex line written by
    /// <c>openssl rand -base64 48 &gt; f</c> works as well as 32 raw random bytes).
    /// </summary>
    /// <exception cref="DeidConfigurationException">The file is missing, unreadable or too short.</exception>
    public static async Task<ProjectSecret> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DeidConfigurationException("secret-file", $"cannot read the secret file: {e.GetType().Name}");
        }

        var span = bytes.AsSpan();
        while (span.Length > 0 && IsSpace(span[0]))
        {
            span = span[1..];
        }

        while (span.Length > 0 && IsSpace(span[^1]))
        {
            span = span[..^1];
        }

        if (span.Length < MinimumLength)
        {
            throw new DeidConfigurationException("secret-file", $"the secret must be at least {MinimumLength} bytes (found {span.Length})");
        }

        return new ProjectSecret(span);
    }

    /// <summary>HMAC-SHA256 of <paramref name="label"/> ‖ 0x00 ‖ UTF-8(<paramref name="text"/>): distinct labels keep
    /// the derived values of different kinds independent.</summary>
    internal byte[] Derive(string label, string text)
    {
        var buffer = new byte[Encoding.UTF8.GetByteCount(label) + 1 + Encoding.UTF8.GetByteCount(text)];
        var n = Encoding.UTF8.GetBytes(label, buffer);
        buffer[n] = 0;
        Encoding.UTF8.GetBytes(text, buffer.AsSpan(n + 1));
        return HMACSHA256.HashData(_key, buffer);
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
}
