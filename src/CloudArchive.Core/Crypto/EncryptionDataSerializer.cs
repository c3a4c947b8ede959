using System.Text;
using System.Text.Json;

namespace CloudArchive.Core.Crypto;

/// <summary>
/// Writes and reads <c>encryptiondata</c> JSON in the exact shape and property order the Azure Storage .NET SDK
/// writes (azure-facts §5); reading is case-insensitive like the SDK's reader.
/// </summary>
public static class EncryptionDataSerializer
{
    /// <summary>Serializes <paramref name="data"/> to compact JSON.</summary>
    public static string Serialize(EncryptionData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("EncryptionMode", data.EncryptionMode);
            w.WriteStartObject("WrappedContentKey");
            w.WriteString("KeyId", data.WrappedContentKey.KeyId);
            w.WriteString("EncryptedKey", Convert.ToBase64String(data.WrappedContentKey.EncryptedKey));
            w.WriteString("Algorithm", data.WrappedContentKey.Algorithm);
            w.WriteEndObject();
            w.WriteStartObject("EncryptionAgent");
            w.WriteString("Protocol", data.Protocol);
            w.WriteString("EncryptionAlgorithm", data.EncryptionAlgorithm);
            w.WriteEndObject();
            w.WriteStartObject("EncryptedRegionInfo");
            w.WriteNumber("DataLength", data.RegionLength);
            w.WriteNumber("NonceLength", data.NonceLength);
            w.WriteEndObject();
            if (data.EncryptionLibrary is not null)
            {
                w.WriteStartObject("KeyWrappingMetadata");
                w.WriteString("EncryptionLibrary", data.EncryptionLibrary);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Parses and validates <c>encryptiondata</c> JSON.</summary>
    /// <exception cref="EnvelopeDecryptionException">
    /// <see cref="EnvelopeFailureReason.MissingMetadata"/> when malformed or incomplete;
    /// <see cref="EnvelopeFailureReason.ProtocolMismatch"/> for an unsupported protocol, mode or algorithm.
    /// </exception>
    public static EncryptionData Parse(string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new EnvelopeDecryptionException(EnvelopeFailureReason.MissingMetadata, "encryptiondata is not valid JSON.", innerException: ex);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Missing("encryptiondata is not a JSON object.");
            }

            var mode = RequiredString(root, "EncryptionMode");
            var wck = RequiredObject(root, "WrappedContentKey");
            var keyId = RequiredString(wck, "KeyId");
            var encryptedKeyText = RequiredString(wck, "EncryptedKey");
            var wrapAlg = RequiredString(wck, "Algorithm");
            var agent = RequiredObject(root, "EncryptionAgent");
            var protocol = RequiredString(agent, "Protocol");
            var contentAlg = RequiredString(agent, "EncryptionAlgorithm");

            if (protocol is not (CseFormat.Protocol20 or CseFormat.Protocol21))
            {
                throw new EnvelopeDecryptionException(EnvelopeFailureReason.ProtocolMismatch, $"Unsupported client-side encryption protocol '{Truncate(protocol)}'; expected 2.0 or 2.1.");
            }

            if (!string.Equals(mode, CseFormat.FullBlobMode, StringComparison.Ordinal))
            {
                throw new EnvelopeDecryptionException(EnvelopeFailureReason.ProtocolMismatch, $"Unsupported EncryptionMode '{Truncate(mode)}'; expected FullBlob.");
            }

            if (!string.Equals(contentAlg, CseFormat.AesGcm256, StringComparison.Ordinal))
            {
                throw new EnvelopeDecryptionException(EnvelopeFailureReason.ProtocolMismatch, $"Unsupported EncryptionAlgorithm '{Truncate(contentAlg)}'; expected AES_GCM_256.");
            }

            var region = RequiredObject(root, "EncryptedRegionInfo");
            int regionLength = RequiredInt(region, "DataLength");
            int nonceLength = RequiredInt(region, "NonceLength");
            if (regionLength < CseFormat.MinRegionLength || regionLength > CseFormat.MaxRegionLength)
            {
                throw new EnvelopeDecryptionException(EnvelopeFailureReason.ProtocolMismatch, $"EncryptedRegionInfo.DataLength {regionLength} is outside {CseFormat.MinRegionLength}..{CseFormat.MaxRegionLength}.");
            }

            if (protocol == CseFormat.Protocol20 && regionLength != CseFormat.DefaultRegionLength)
            {
                throw new EnvelopeDecryptionException(EnvelopeFailureReason.ProtocolMismatch, "Protocol 2.0 requires 4 MiB regions.");
            }

            if (nonceLength != CseFormat.NonceLength)
            {
                throw new EnvelopeDecryptionException(EnvelopeFailureReason.ProtocolMismatch, $"EncryptedRegionInfo.NonceLength {nonceLength} is not 12.");
            }

            byte[] encryptedKey;
            try
            {
                encryptedKey = Convert.FromBase64String(encryptedKeyText);
            }
            catch (FormatException ex)
            {
                throw new EnvelopeDecryptionException(EnvelopeFailureReason.MissingMetadata, "WrappedContentKey.EncryptedKey is not base64.", innerException: ex);
            }

            string? library = null;
            if (TryGetProperty(root, "KeyWrappingMetadata", out var kwm) && kwm.ValueKind == JsonValueKind.Object
                && TryGetProperty(kwm, "EncryptionLibrary", out var lib) && lib.ValueKind == JsonValueKind.String)
            {
                library = lib.GetString();
            }

            return new EncryptionData(mode, new WrappedContentKey(keyId, encryptedKey, wrapAlg), protocol, contentAlg, regionLength, nonceLength, library);
        }
    }

    private static bool TryGetProperty(JsonElement obj, string name, out JsonElement value)
    {
        foreach (var p in obj.EnumerateObject())
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = p.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static string RequiredString(JsonElement obj, string name)
    {
        if (!TryGetProperty(obj, name, out var v) || v.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(v.GetString()))
        {
            throw Missing($"encryptiondata lacks the string property {name}.");
        }

        return v.GetString()!;
    }

    private static JsonElement RequiredObject(JsonElement obj, string name)
    {
        if (!TryGetProperty(obj, name, out var v) || v.ValueKind != JsonValueKind.Object)
        {
            throw Missing($"encryptiondata lacks the object {name}.");
        }

        return v;
    }

    private static int RequiredInt(JsonElement obj, string name)
    {
        if (!TryGetProperty(obj, name, out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var i))
        {
            throw Missing($"encryptiondata lacks the integer property {name}.");
        }

        return i;
    }

    private static EnvelopeDecryptionException Missing(string message) => new(EnvelopeFailureReason.MissingMetadata, message);

    private static string Truncate(string s) => s.Length <= 16 ? s : s[..16] + "…";
}
