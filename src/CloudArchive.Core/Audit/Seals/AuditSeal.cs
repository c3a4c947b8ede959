using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CloudArchive.Core.Audit.Seals;

/// <summary>
/// The seal of one closed hour of the audit log: the RFC 6962 Merkle root over every line of the hour in canonical
/// order (blob name, then line number) across all writers, each blob's line count, byte length and own root, the
/// SHA-256 of the previous hour's seal file, and an ES256 signature by the seal signing key over the document
/// without its signature. One compact JSON object in a fixed field order, so the signed bytes are reproducible.
/// </summary>
public sealed record AuditSeal
{
    /// <summary>The seal format version.</summary>
    public const int FormatVersion = 1;

    /// <summary>The <see cref="PreviousSealHash"/> of the first seal of a chain: SHA-256 hex of this text.</summary>
    public const string GenesisText = "cloudarchive-audit-seal/v1 genesis";

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    /// <summary>The sealed hour (UTC, whole hour).</summary>
    public required DateTimeOffset Hour { get; init; }

    /// <summary>SHA-256 hex of the previous hour's seal file bytes, or <see cref="Genesis"/> for the first seal.</summary>
    public required string PreviousSealHash { get; init; }

    /// <summary>Total lines in the hour.</summary>
    public required long Lines { get; init; }

    /// <summary>The Merkle root over all the hour's lines (lowercase hex).</summary>
    public required string Root { get; init; }

    /// <summary>The hour's blobs in name order.</summary>
    public required IReadOnlyList<AuditSealBlob> Blobs { get; init; }

    /// <summary>When the seal was made.</summary>
    public required DateTimeOffset SealedAt { get; init; }

    /// <summary>The signing key's id (a versioned Key Vault key id, or <c>local:{fingerprint}</c> in development).</summary>
    public required string KeyId { get; init; }

    /// <summary>The JWS algorithm (<c>ES256</c>).</summary>
    public required string Algorithm { get; init; }

    /// <summary>The signature over <see cref="SignedPayload"/>'s SHA-256, base64url; null before signing.</summary>
    public string? Signature { get; init; }

    /// <summary>The first seal's <see cref="PreviousSealHash"/>.</summary>
    public static string Genesis { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(GenesisText)));

    /// <summary>The bytes the signature covers: the document without <c>signature</c>.</summary>
    public byte[] SignedPayload() => Write(includeSignature: false);

    /// <summary>The seal file's bytes.</summary>
    public byte[] ToBytes() => Write(includeSignature: true);

    /// <summary>SHA-256 hex of a seal file's bytes: what the next seal records as <see cref="PreviousSealHash"/>.</summary>
    public static string HashOf(ReadOnlySpan<byte> sealFile) => Convert.ToHexStringLower(SHA256.HashData(sealFile));

    /// <summary>Parses a seal file.</summary>
    /// <exception cref="FormatException">Not a seal document.</exception>
    public static AuditSeal Parse(ReadOnlySpan<byte> sealFile)
    {
        try
        {
            using var document = JsonDocument.Parse(sealFile.ToArray(), new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 4 });
            var root = document.RootElement;
            if (root.GetProperty("v").GetInt32() != FormatVersion)
            {
                throw new FormatException("unsupported seal format version");
            }

            var blobs = new List<AuditSealBlob>();
            foreach (var blob in root.GetProperty("blobs").EnumerateArray())
            {
                blobs.Add(new AuditSealBlob(blob.GetProperty("name").GetString()!, blob.GetProperty("lines").GetInt64(), blob.GetProperty("bytes").GetInt64(), blob.GetProperty("root").GetString()!));
            }

            return new AuditSeal
            {
                Hour = ParseTime(root.GetProperty("hour").GetString()),
                PreviousSealHash = root.GetProperty("previous").GetString()!,
                Lines = root.GetProperty("lines").GetInt64(),
                Root = root.GetProperty("root").GetString()!,
                Blobs = blobs,
                SealedAt = ParseTime(root.GetProperty("sealedAt").GetString()),
                KeyId = root.GetProperty("keyId").GetString()!,
                Algorithm = root.GetProperty("alg").GetString()!,
                Signature = root.TryGetProperty("signature", out var signature) ? signature.GetString() : null,
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            throw new FormatException("not a valid audit seal document", ex);
        }
    }

    private static DateTimeOffset ParseTime(string? text) =>
        new(DateTime.ParseExact(text ?? string.Empty, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), TimeSpan.Zero);

    private byte[] Write(bool includeSignature)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", FormatVersion);
            writer.WriteString("hour", Hour.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));
            writer.WriteString("previous", PreviousSealHash);
            writer.WriteNumber("lines", Lines);
            writer.WriteString("root", Root);
            writer.WriteStartArray("blobs");
            foreach (var blob in Blobs)
            {
                writer.WriteStartObject();
                writer.WriteString("name", blob.Name);
                writer.WriteNumber("lines", blob.Lines);
                writer.WriteNumber("bytes", blob.Bytes);
                writer.WriteString("root", blob.Root);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("sealedAt", SealedAt.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));
            writer.WriteString("keyId", KeyId);
            writer.WriteString("alg", Algorithm);
            if (includeSignature && Signature is not null)
            {
                writer.WriteString("signature", Signature);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
