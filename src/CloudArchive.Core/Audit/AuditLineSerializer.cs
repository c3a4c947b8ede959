using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CloudArchive.Core.Audit;

/// <summary>
/// The audit line format (version 1): one compact JSON object per line, UTF-8, terminated by a line feed,
/// with the fields in a fixed canonical order and absent optional fields omitted:
/// <c>v, seq, prevHash, time, writer, eventId, action, outcome, actor{id, upn, app, role, requestor, ip},
/// purposeOfUse, study, instance, patient, agreementId, bytes, correlationId, details</c>.
/// The same record always serializes to the same bytes, so a line that does not re-serialize to itself
/// was not written by this code.
/// </summary>
public static class AuditLineSerializer
{
    /// <summary>The legacy format version (unkeyed SHA-256 chain), still read and verified.</summary>
    public const int FormatVersion = 1;

    /// <summary>The keyed format version (HMAC-SHA256 chain under the audit chain key); same fields as v1.</summary>
    public const int KeyedFormatVersion = 2;

    /// <summary>The longest line accepted (bytes, without the line feed).</summary>
    public const int MaxLineBytes = 8192;

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.Default,
        SkipValidation = false,
    };

    private static readonly string[] RecordFields =
        ["v", "seq", "prevHash", "time", "writer", "eventId", "action", "outcome", "actor", "purposeOfUse", "study", "instance", "patient", "agreementId", "bytes", "correlationId", "details"];

    private static readonly string[] ActorFields = ["id", "upn", "app", "role", "requestor", "ip"];

    /// <summary>Serializes a record to its line bytes, without the line feed.</summary>
    /// <exception cref="AuditFormatException">The line would exceed <see cref="MaxLineBytes"/>.</exception>
    public static byte[] Serialize(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            var e = record.Event;
            writer.WriteStartObject();
            writer.WriteNumber("v", record.FormatVersion is FormatVersion or KeyedFormatVersion ? record.FormatVersion : throw new AuditFormatException("unsupported format version"));
            writer.WriteNumber("seq", record.Sequence);
            writer.WriteString("prevHash", record.PreviousHash);
            writer.WriteString("time", record.Time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));
            writer.WriteString("writer", record.WriterId);
            writer.WriteNumber("eventId", (int)e.EventType);
            writer.WriteString("action", ActionCode(e.Action));
            writer.WriteNumber("outcome", (int)e.Outcome);
            writer.WriteStartObject("actor");
            writer.WriteString("id", e.Actor.Id);
            WriteOptional(writer, "upn", e.Actor.Upn);
            WriteOptional(writer, "app", e.Actor.App);
            WriteOptional(writer, "role", e.Actor.Role);
            writer.WriteBoolean("requestor", e.Actor.IsRequestor);
            WriteOptional(writer, "ip", e.Actor.ClientIp?.ToString());
            writer.WriteEndObject();
            WriteOptional(writer, "purposeOfUse", e.PurposeOfUse);
            WriteOptional(writer, "study", e.Study?.Value);
            WriteOptional(writer, "instance", e.Instance?.Value);
            WriteOptional(writer, "patient", e.Patient?.Value);
            WriteOptional(writer, "agreementId", e.AgreementId);
            if (e.Bytes is { } bytes)
            {
                writer.WriteNumber("bytes", bytes);
            }

            WriteOptional(writer, "correlationId", e.CorrelationId);
            if (e.Details.Count > 0)
            {
                writer.WriteStartArray("details");
                foreach (var detail in e.Details)
                {
                    writer.WriteStringValue(detail);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        if (buffer.WrittenCount > MaxLineBytes)
        {
            throw new AuditFormatException($"The audit line would be {buffer.WrittenCount} bytes; at most {MaxLineBytes} are allowed.");
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Parses one line (without its line feed) and validates every field.</summary>
    /// <exception cref="AuditFormatException">The line is not a valid audit record.</exception>
    public static AuditRecord Parse(ReadOnlySpan<byte> line)
    {
        if (line.Length > MaxLineBytes)
        {
            throw new AuditFormatException($"line is {line.Length} bytes; at most {MaxLineBytes} are allowed");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line.ToArray(), new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 4 });
        }
        catch (JsonException ex)
        {
            throw new AuditFormatException("line is not valid JSON", ex);
        }

        using (document)
        {
            try
            {
                return Read(document.RootElement);
            }
            catch (ArgumentException ex)
            {
                throw new AuditFormatException($"invalid field: {ex.Message}", ex);
            }
            catch (InvalidOperationException ex)
            {
                throw new AuditFormatException("a field has the wrong JSON type", ex);
            }
            catch (FormatException ex)
            {
                throw new AuditFormatException("a field has the wrong format", ex);
            }
        }
    }

    /// <summary>The DICOM EventActionCode letter.</summary>
    public static string ActionCode(AuditAction action) => action switch
    {
        AuditAction.Create => "C",
        AuditAction.Read => "R",
        AuditAction.Update => "U",
        AuditAction.Delete => "D",
        AuditAction.Execute => "E",
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };

    /// <summary>Parses a DICOM EventActionCode letter.</summary>
    public static bool TryParseAction(string? code, out AuditAction action)
    {
        (var ok, action) = code switch
        {
            "C" => (true, AuditAction.Create),
            "R" => (true, AuditAction.Read),
            "U" => (true, AuditAction.Update),
            "D" => (true, AuditAction.Delete),
            "E" => (true, AuditAction.Execute),
            _ => (false, default),
        };
        return ok;
    }

    private static AuditRecord Read(JsonElement root)
    {
        RequireObject(root, "line", RecordFields);
        var version = Required(root, "v").GetInt32();
        if (version is not (FormatVersion or KeyedFormatVersion))
        {
            throw new AuditFormatException($"unsupported format version (expected {FormatVersion} or {KeyedFormatVersion})");
        }

        var seq = Required(root, "seq").GetInt64();
        if (seq < 1)
        {
            throw new AuditFormatException("seq must be at least 1");
        }

        var prevHash = Required(root, "prevHash").GetString()!;
        if (prevHash.Length != 64 || !prevHash.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f'))
        {
            throw new AuditFormatException("prevHash must be 64 lowercase hex digits");
        }

        var timeText = Required(root, "time").GetString()!;
        if (!DateTime.TryParseExact(timeText, TimeFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
        {
            throw new AuditFormatException("time must be UTC in the form yyyy-MM-ddTHH:mm:ss.fffffffZ");
        }

        var writerId = Required(root, "writer").GetString()!;
        if (!AuditBlobName.IsValidWriterId(writerId))
        {
            throw new AuditFormatException("writer is not a valid writer id");
        }

        var eventId = Required(root, "eventId").GetInt32();
        if (!Enum.IsDefined(typeof(AuditEventType), eventId))
        {
            throw new AuditFormatException("eventId is not a known DICOM audit event id");
        }

        if (!TryParseAction(Required(root, "action").GetString(), out var action))
        {
            throw new AuditFormatException("action must be one of C, R, U, D, E");
        }

        var outcome = Required(root, "outcome").GetInt32();
        if (outcome is not (0 or 4 or 8 or 12))
        {
            throw new AuditFormatException("outcome must be 0, 4, 8 or 12");
        }

        var actorElement = Required(root, "actor");
        RequireObject(actorElement, "actor", ActorFields);
        IPAddress? ip = null;
        if (Optional(actorElement, "ip") is { } ipText && !IPAddress.TryParse(ipText, out ip))
        {
            throw new AuditFormatException("actor.ip is not an IP address");
        }

        var actor = new AuditActor(
            Required(actorElement, "id").GetString()!,
            Optional(actorElement, "upn"),
            Optional(actorElement, "app"),
            Optional(actorElement, "role"),
            Required(actorElement, "requestor").GetBoolean(),
            ip);

        var details = new List<string>();
        if (root.TryGetProperty("details", out var detailsElement))
        {
            foreach (var item in detailsElement.EnumerateArray())
            {
                details.Add(item.GetString()!);
            }

            if (details.Count == 0)
            {
                throw new AuditFormatException("details, when present, must not be empty");
            }
        }

        var e = new AuditEvent
        {
            EventType = (AuditEventType)eventId,
            Action = action,
            Outcome = (AuditOutcome)outcome,
            Actor = actor,
            PurposeOfUse = Optional(root, "purposeOfUse"),
            Study = Key(root, "study"),
            Instance = Key(root, "instance"),
            Patient = Key(root, "patient"),
            AgreementId = Optional(root, "agreementId"),
            Bytes = root.TryGetProperty("bytes", out var bytes) ? bytes.GetInt64() : null,
            CorrelationId = Optional(root, "correlationId"),
            Details = details,
        };

        return new AuditRecord(seq, prevHash, new DateTimeOffset(time, TimeSpan.Zero), writerId, e) { FormatVersion = version };
    }

    private static OpaqueKey? Key(JsonElement obj, string name) => Optional(obj, name) is { } text ? new OpaqueKey(text) : null;

    private static void RequireObject(JsonElement element, string what, string[] allowed)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new AuditFormatException($"{what} must be a JSON object");
        }

        foreach (var property in element.EnumerateObject())
        {
            if (Array.IndexOf(allowed, property.Name) < 0)
            {
                throw new AuditFormatException($"{what} has an unknown field");
            }
        }
    }

    private static JsonElement Required(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw new AuditFormatException($"required field '{name}' is missing");

    private static string? Optional(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) ? value.GetString() ?? throw new AuditFormatException($"field '{name}' is null") : null;

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
