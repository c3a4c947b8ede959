using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloudArchive.Core.Lifecycle.Holds;

/// <summary>The JSON form of a <see cref="LegalHold"/> (a <see cref="JsonNode"/> tree: no reflection).</summary>
public static class LegalHoldJson
{
    /// <summary>The schema id.</summary>
    public const string SchemaId = "cloudarchive/legal-hold/v1";

    /// <summary>The document name of a hold.</summary>
    public static string Name(string holdId) => LegalHoldNames.Prefix + holdId + ".json";

    /// <summary>Serializes a hold.</summary>
    public static byte[] Serialize(LegalHold hold)
    {
        ArgumentNullException.ThrowIfNull(hold);
        var o = new JsonObject { ["schema"] = SchemaId };
        AddPlacement(o, hold);
        o["placedAt"] = hold.PlacedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
        if (hold.ReleasedAt is { } released)
        {
            o["releasedBy"] = hold.ReleasedBy;
            o["releasedAt"] = released.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
            o["releaseReason"] = hold.ReleaseReason;
        }

        return JsonSerializer.SerializeToUtf8Bytes(o, LifecycleJsonContext.Default.JsonObject);
    }

    /// <summary>
    /// Adds what a hold was placed with (id, scope, target, case, reason, placedBy), in this order, to
    /// <paramref name="o"/>: the stored document and the CLI's <c>--json</c> view both start with it.
    /// </summary>
    public static void AddPlacement(JsonObject o, LegalHold hold)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(hold);
        o["id"] = hold.Id;
        o["scope"] = hold.Scope == LegalHoldScope.Study ? "study" : "patient";
        o["target"] = hold.Target;
        o["case"] = hold.Case;
        o["reason"] = hold.Reason;
        o["placedBy"] = hold.PlacedBy;
    }

    /// <summary>Parses a hold document.</summary>
    /// <exception cref="LifecycleException"><see cref="LifecycleFailureReason.CorruptDocument"/>.</exception>
    public static LegalHold Parse(ReadOnlySpan<byte> json, string name)
    {
        try
        {
            var o = JsonNode.Parse(json)?.AsObject() ?? throw new FormatException("not an object");
            if ((string?)o["schema"] != SchemaId)
            {
                throw new FormatException("unknown schema");
            }

            var scope = (string?)o["scope"] switch
            {
                "study" => LegalHoldScope.Study,
                "patient" => LegalHoldScope.Patient,
                _ => throw new FormatException("unknown scope"),
            };
            var hold = new LegalHold
            {
                Id = Required(o, "id"),
                Scope = scope,
                Target = Required(o, "target"),
                Case = Required(o, "case"),
                Reason = Required(o, "reason"),
                PlacedBy = Required(o, "placedBy"),
                PlacedAt = DateTimeOffset.Parse(Required(o, "placedAt"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                ReleasedBy = (string?)o["releasedBy"],
                ReleasedAt = o["releasedAt"] is { } r ? DateTimeOffset.Parse((string)r!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind) : null,
                ReleaseReason = (string?)o["releaseReason"],
            };
            if (Name(hold.Id) != name || !Audit.OpaqueKey.IsValid(hold.Target))
            {
                throw new FormatException("id or target does not match");
            }

            return hold;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            throw new LifecycleException(LifecycleFailureReason.CorruptDocument, $"Hold document {name} is not valid: {ex.Message}.");
        }
    }

    private static string Required(JsonObject o, string field) =>
        (string?)o[field] is { Length: > 0 } value ? value : throw new FormatException($"'{field}' is missing");
}
