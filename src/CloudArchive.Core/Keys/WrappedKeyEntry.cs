using System.Globalization;
using System.Text.Json;

namespace CloudArchive.Core.Keys;

/// <summary>
/// The JSON stored for one wrapped key (a study key or the index key):
/// <c>{"schema":1,"kind":"study","kid":"&lt;versioned KEK id&gt;","alg":"RSA-OAEP-256","wrappedKey":"&lt;base64&gt;","created":"…","rewrapped":"…"}</c>.
/// </summary>
/// <param name="Kind"><c>study</c> or <c>index</c>.</param>
/// <param name="KekKeyId">The versioned id of the KEK that wrapped the key.</param>
/// <param name="Algorithm">The wrap algorithm.</param>
/// <param name="WrappedKey">The wrapped key bytes.</param>
/// <param name="Created">When the key was created.</param>
/// <param name="Rewrapped">When it was last re-wrapped under a new KEK version, if ever.</param>
public sealed record WrappedKeyEntry(string Kind, string KekKeyId, string Algorithm, byte[] WrappedKey, DateTimeOffset Created, DateTimeOffset? Rewrapped)
{
    /// <summary>The entry format version.</summary>
    public const int Schema = 1;

    /// <summary>Serializes to UTF-8 JSON.</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("schema", Schema);
            w.WriteString("kind", Kind);
            w.WriteString("kid", KekKeyId);
            w.WriteString("alg", Algorithm);
            w.WriteString("wrappedKey", Convert.ToBase64String(WrappedKey));
            w.WriteString("created", Created.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            if (Rewrapped is { } r)
            {
                w.WriteString("rewrapped", r.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            }

            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Parses an entry.</summary>
    /// <exception cref="KeyringException"><see cref="KeyringFailureReason.CorruptEntry"/> when malformed.</exception>
    public static WrappedKeyEntry Parse(ReadOnlySpan<byte> json, string entryName)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            if (root.GetProperty("schema").GetInt32() != Schema)
            {
                throw new KeyringException(KeyringFailureReason.CorruptEntry, $"Keyring entry {entryName} has an unsupported schema.", entryName);
            }

            DateTimeOffset? rewrapped = root.TryGetProperty("rewrapped", out var r) ? DateTimeOffset.Parse(r.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : null;
            return new WrappedKeyEntry(
                Required(root, "kind"),
                Required(root, "kid"),
                Required(root, "alg"),
                Convert.FromBase64String(Required(root, "wrappedKey")),
                DateTimeOffset.Parse(Required(root, "created"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                rewrapped);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
        {
            throw new KeyringException(KeyringFailureReason.CorruptEntry, $"Keyring entry {entryName} is not valid keyring JSON.", entryName, ex);
        }
    }

    private static string Required(JsonElement root, string name)
    {
        var value = root.GetProperty(name).GetString();
        return string.IsNullOrEmpty(value) ? throw new FormatException(name + " is empty") : value;
    }
}
