using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloudArchive.Core.Ingest.Quarantine;

/// <summary>
/// The reason document of a quarantined upload (<c>q/{id}.reason.json</c>, schema
/// <c>cloudarchive/quarantine-reason/v2</c>). It carries codes, opaque keys and the ingest's message, which never
/// contains attribute values; never the upload's name. Written and read as a <see cref="JsonNode"/> tree (no
/// reflection: the CLI is published with NativeAOT).
/// </summary>
public sealed record QuarantineRecord
{
    /// <summary>The schema id of this document.</summary>
    public const string Schema = "cloudarchive/quarantine-reason/v2";

    /// <summary>The quarantine id.</summary>
    public required string Id { get; init; }

    /// <summary>The reason code (<see cref="QuarantineReasonCodes"/>).</summary>
    public required string Reason { get; init; }

    /// <summary>What a person can act on (no patient data).</summary>
    public required string Message { get; init; }

    /// <summary>When the upload was quarantined.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>The last day the copy is kept (<c>yyyy-MM-dd</c>), unless held.</summary>
    public required string RetainUntil { get; init; }

    /// <summary>Which key encrypts the copy: <c>study</c> or <c>quarantine</c>.</summary>
    public required string EncryptedUnder { get; init; }

    /// <summary>The upload's length in bytes.</summary>
    public long UploadLength { get; init; }

    /// <summary>The opaque study key, when the upload was readable that far.</summary>
    public string? StudyKey { get; init; }

    /// <summary>The opaque instance key, when known.</summary>
    public string? InstanceKey { get; init; }

    /// <summary>The correlation id of the invocation that quarantined it.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>The storage event id, when an event triggered the ingest.</summary>
    public string? EventId { get; init; }

    /// <summary>The uploader's random reference (<see cref="UploadReference"/>), if any.</summary>
    public string? UploadRef { get; init; }

    /// <summary>When an operator sent the upload back to <c>incoming</c>; the copy is then gone.</summary>
    public DateTimeOffset? RetriedAt { get; init; }

    /// <summary>The <c>incoming</c> name the retry wrote (opaque: <c>retry/{id}.dcm</c>).</summary>
    public string? RetriedAs { get; init; }

    /// <summary>The document as UTF-8 JSON.</summary>
    public byte[] ToJson()
    {
        var node = new JsonObject
        {
            ["schema"] = Schema,
            ["id"] = Id,
            ["reason"] = Reason,
            ["message"] = Message,
            ["time"] = Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture),
            ["retainUntil"] = RetainUntil,
            ["encryptedUnder"] = EncryptedUnder,
            ["uploadLength"] = UploadLength,
            ["studyKey"] = StudyKey,
            ["instanceKey"] = InstanceKey,
            ["correlationId"] = CorrelationId,
            ["eventId"] = EventId,
            ["uploadRef"] = UploadRef,
        };
        if (RetriedAt is { } retried)
        {
            node["retried"] = new JsonObject
            {
                ["time"] = retried.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture),
                ["incoming"] = RetriedAs,
            };
        }

        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    /// <summary>Parses a stored document.</summary>
    /// <exception cref="FormatException">The document is not a quarantine reason of this schema.</exception>
    public static QuarantineRecord Parse(ReadOnlySpan<byte> json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException("The quarantine reason document is not JSON.", ex);
        }

        if (root is not JsonObject o || Text(o, "schema") != Schema)
        {
            throw new FormatException("The document is not a " + Schema + " quarantine reason.");
        }

        var retried = o["retried"] as JsonObject;
        return new QuarantineRecord
        {
            Id = Text(o, "id") ?? throw new FormatException("The quarantine reason has no id."),
            Reason = Text(o, "reason") ?? throw new FormatException("The quarantine reason has no reason code."),
            Message = Text(o, "message") ?? string.Empty,
            Time = Date(Text(o, "time")) ?? throw new FormatException("The quarantine reason has no time."),
            RetainUntil = Text(o, "retainUntil") ?? throw new FormatException("The quarantine reason has no retention date."),
            EncryptedUnder = Text(o, "encryptedUnder") ?? string.Empty,
            UploadLength = o["uploadLength"] is JsonValue v && v.TryGetValue<long>(out var length) ? length : 0,
            StudyKey = Text(o, "studyKey"),
            InstanceKey = Text(o, "instanceKey"),
            CorrelationId = Text(o, "correlationId"),
            EventId = Text(o, "eventId"),
            UploadRef = Text(o, "uploadRef"),
            RetriedAt = retried is null ? null : Date(Text(retried, "time")),
            RetriedAs = retried is null ? null : Text(retried, "incoming"),
        };
    }

    private static string? Text(JsonObject o, string name) =>
        o[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static DateTimeOffset? Date(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) ? time : null;
}
