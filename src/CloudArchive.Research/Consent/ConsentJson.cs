using System.Text.Json;
using CloudArchive.Research.Common;

namespace CloudArchive.Research.Consent;

/// <summary>
/// The JSON form of a consent record (schema <c>cloudarchive/consent/v1</c>, documented in docs/research.md). Strict
/// reading, validated with <see cref="ConsentValidator"/>; errors name the JSON path only.
/// </summary>
public static class ConsentJson
{
    private static readonly HashSet<string> RootKeys =
    [
        "schema", "patientPseudonym", "sourceId", "status", "periodStart", "periodEnd", "dataFrom", "dataTo", "purposes", "actors",
        "deny", "source", "statusReason", "recordedAt", "recordedBy",
    ];

    private static readonly HashSet<string> DenyKeys = ["modalities", "bodyParts", "purposes", "dataFrom", "dataTo"];

    /// <summary>Serializes a record (UTF-8, indented).</summary>
    public static byte[] Serialize(ConsentRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("schema", record.Schema);
            w.WriteString("patientPseudonym", record.PatientPseudonym);
            WriteOptional(w, "sourceId", record.SourceId);
            w.WriteString("status", ConsentStatusCodes.Code(record.Status));
            WriteOptional(w, "periodStart", record.PeriodStart is { } ps ? StrictJson.FormatInstant(ps) : null);
            WriteOptional(w, "periodEnd", record.PeriodEnd is { } pe ? StrictJson.FormatInstant(pe) : null);
            WriteOptional(w, "dataFrom", record.DataFrom is { } df ? StrictJson.FormatDate(df) : null);
            WriteOptional(w, "dataTo", record.DataTo is { } dt ? StrictJson.FormatDate(dt) : null);
            WriteArray(w, "purposes", record.Purposes);
            WriteArray(w, "actors", record.Actors);
            w.WriteStartArray("deny");
            foreach (var d in record.Deny)
            {
                w.WriteStartObject();
                WriteArray(w, "modalities", d.Modalities);
                WriteArray(w, "bodyParts", d.BodyParts);
                WriteArray(w, "purposes", d.Purposes);
                WriteOptional(w, "dataFrom", d.DataFrom is { } a ? StrictJson.FormatDate(a) : null);
                WriteOptional(w, "dataTo", d.DataTo is { } b ? StrictJson.FormatDate(b) : null);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("source", record.Source);
            WriteOptional(w, "statusReason", record.StatusReason);
            w.WriteString("recordedAt", StrictJson.FormatInstant(record.RecordedAt));
            w.WriteString("recordedBy", record.RecordedBy);
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads and validates a stored record.</summary>
    /// <exception cref="ConsentFormatException">Malformed JSON, an unknown property or an invalid value.</exception>
    public static ConsentRecord Parse(ReadOnlyMemory<byte> utf8)
    {
        var json = new StrictJson((path, reason) => new ConsentFormatException(path, reason));
        using var doc = json.Parse(utf8);
        var root = doc.RootElement;
        json.ExpectObject(root, "$", RootKeys);
        var schema = json.String(root, "$", "schema", required: true);
        if (schema != ConsentRecord.SchemaId)
        {
            throw new ConsentFormatException("$.schema", $"must be {ConsentRecord.SchemaId}");
        }

        if (!ConsentStatusCodes.TryParse(json.String(root, "$", "status", required: true), out var status))
        {
            throw new ConsentFormatException("$.status", "must be a FHIR consent-state code (draft, proposed, active, rejected, inactive, entered-in-error)");
        }

        var deny = new List<ConsentDenyProvision>();
        if (StrictJson.TryGet(root, "deny", out var denyArray))
        {
            if (denyArray.ValueKind != JsonValueKind.Array)
            {
                throw new ConsentFormatException("$.deny", "must be an array");
            }

            var i = 0;
            foreach (var d in denyArray.EnumerateArray())
            {
                var p = $"$.deny[{i++}]";
                json.ExpectObject(d, p, DenyKeys);
                deny.Add(new ConsentDenyProvision
                {
                    Modalities = json.StringArray(d, p, "modalities"),
                    BodyParts = json.StringArray(d, p, "bodyParts"),
                    Purposes = json.StringArray(d, p, "purposes"),
                    DataFrom = json.Date(d, p, "dataFrom"),
                    DataTo = json.Date(d, p, "dataTo"),
                });
            }
        }

        var record = new ConsentRecord
        {
            PatientPseudonym = json.String(root, "$", "patientPseudonym", required: true)!,
            SourceId = json.String(root, "$", "sourceId", required: false),
            Status = status,
            PeriodStart = json.Instant(root, "$", "periodStart", required: false),
            PeriodEnd = json.Instant(root, "$", "periodEnd", required: false),
            DataFrom = json.Date(root, "$", "dataFrom"),
            DataTo = json.Date(root, "$", "dataTo"),
            Purposes = json.StringArray(root, "$", "purposes"),
            Actors = json.StringArray(root, "$", "actors"),
            Deny = deny,
            Source = json.String(root, "$", "source", required: true)!,
            StatusReason = json.String(root, "$", "statusReason", required: false),
            RecordedAt = json.Instant(root, "$", "recordedAt", required: true)!.Value,
            RecordedBy = json.String(root, "$", "recordedBy", required: true)!,
        };
        ConsentValidator.Validate(record);
        return record;
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteArray(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }
}
