using System.Text.Json;
using CloudArchive.Research.Common;

namespace CloudArchive.Research.Agreements;

/// <summary>
/// The JSON form of an agreement (schema <c>cloudarchive/agreement/v1</c>, documented in docs/research.md). Reading is
/// strict (unknown properties, duplicates, comments and trailing commas are errors) and every document read is
/// validated with <see cref="AgreementValidator"/>, so a stored agreement that was edited by hand into something
/// unsafe is refused rather than half-applied.
/// </summary>
public static class AgreementJson
{
    private static readonly HashSet<string> RootKeys =
    [
        "schema", "id", "title", "purposeOfUse", "recipients", "validFrom", "validUntil", "selection", "deidentification",
        "consentRequired", "copyRetention", "status", "createdAt", "createdBy", "closedAt", "closedBy", "closeReason",
    ];

    private static readonly HashSet<string> DraftKeys =
    [
        "schema", "id", "title", "purposeOfUse", "recipients", "validFrom", "validUntil", "selection", "deidentification",
        "consentRequired", "copyRetention",
    ];

    private static readonly HashSet<string> SelectionKeys = ["modalities", "studyDateFrom", "studyDateTo", "bodyParts", "sopClassUids"];
    private static readonly HashSet<string> DeidKeys = ["profileName", "profile", "options"];

    /// <summary>Serializes a stored agreement (UTF-8, indented for people who read the <c>control</c> container).</summary>
    public static byte[] Serialize(DataSharingAgreement agreement)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("schema", agreement.Schema);
            w.WriteString("id", agreement.Id);
            if (agreement.Title is not null)
            {
                w.WriteString("title", agreement.Title);
            }

            w.WriteString("purposeOfUse", agreement.PurposeOfUse);
            WriteArray(w, "recipients", agreement.Recipients);
            w.WriteString("validFrom", StrictJson.FormatInstant(agreement.ValidFrom));
            w.WriteString("validUntil", StrictJson.FormatInstant(agreement.ValidUntil));
            w.WriteStartObject("selection");
            WriteArray(w, "modalities", agreement.Selection.Modalities);
            if (agreement.Selection.StudyDateFrom is { } from)
            {
                w.WriteString("studyDateFrom", StrictJson.FormatDate(from));
            }

            if (agreement.Selection.StudyDateTo is { } to)
            {
                w.WriteString("studyDateTo", StrictJson.FormatDate(to));
            }

            WriteArray(w, "bodyParts", agreement.Selection.BodyParts);
            WriteArray(w, "sopClassUids", agreement.Selection.SopClassUids);
            w.WriteEndObject();
            w.WriteStartObject("deidentification");
            w.WriteString("profileName", agreement.Deidentification.ProfileName);
            if (agreement.Deidentification.Profile is { } profile)
            {
                w.WritePropertyName("profile");
                profile.WriteTo(w);
            }

            WriteArray(w, "options", agreement.Deidentification.Options);
            w.WriteEndObject();
            w.WriteBoolean("consentRequired", agreement.ConsentRequired);
            w.WriteString("copyRetention", agreement.CopyRetention);
            w.WriteString("status", StatusCode(agreement.Status));
            w.WriteString("createdAt", StrictJson.FormatInstant(agreement.CreatedAt));
            w.WriteString("createdBy", agreement.CreatedBy);
            if (agreement.ClosedAt is { } closedAt)
            {
                w.WriteString("closedAt", StrictJson.FormatInstant(closedAt));
            }

            if (agreement.ClosedBy is not null)
            {
                w.WriteString("closedBy", agreement.ClosedBy);
            }

            if (agreement.CloseReason is not null)
            {
                w.WriteString("closeReason", agreement.CloseReason);
            }

            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads and validates a stored agreement.</summary>
    /// <exception cref="AgreementFormatException">Malformed JSON, an unknown property or an invalid value (the path says where).</exception>
    public static DataSharingAgreement Parse(ReadOnlyMemory<byte> utf8)
    {
        var json = new StrictJson((path, reason) => new AgreementFormatException(path, reason));
        using var doc = json.Parse(utf8);
        var root = doc.RootElement;
        json.ExpectObject(root, "$", RootKeys);
        var draft = ReadDraft(json, root);
        var statusText = json.String(root, "$", "status", required: true)!;
        var status = statusText switch
        {
            "active" => AgreementStatus.Active,
            "closed" => AgreementStatus.Closed,
            _ => throw new AgreementFormatException("$.status", "must be active or closed"),
        };
        var agreement = draft.ToAgreement(json.Instant(root, "$", "createdAt", required: true)!.Value, json.String(root, "$", "createdBy", required: true)!) with
        {
            Status = status,
            ClosedAt = json.Instant(root, "$", "closedAt", required: false),
            ClosedBy = json.String(root, "$", "closedBy", required: false),
            CloseReason = json.String(root, "$", "closeReason", required: false),
        };
        AgreementValidator.Validate(agreement);
        return agreement;
    }

    /// <summary>
    /// Reads a request to create an agreement (the stored schema without the fields the archive sets: status,
    /// created*, closed*). Validated except for the creation time, which the service sets.
    /// </summary>
    /// <exception cref="AgreementFormatException">Malformed JSON, an unknown or archive-set property, or an invalid value.</exception>
    public static AgreementDraft ParseDraft(ReadOnlyMemory<byte> utf8)
    {
        var json = new StrictJson((path, reason) => new AgreementFormatException(path, reason));
        using var doc = json.Parse(utf8);
        var root = doc.RootElement;
        json.ExpectObject(root, "$", DraftKeys);
        var draft = ReadDraft(json, root);
        AgreementValidator.Validate(draft.ToAgreement(DateTimeOffset.UnixEpoch, "validation"));
        return draft;
    }

    /// <summary>The stored code of a status (<c>active</c>, <c>closed</c>).</summary>
    public static string StatusCode(AgreementStatus status) => status switch
    {
        AgreementStatus.Active => "active",
        AgreementStatus.Closed => "closed",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    private static AgreementDraft ReadDraft(StrictJson json, JsonElement root)
    {
        var schema = json.String(root, "$", "schema", required: false);
        if (schema is not null && schema != DataSharingAgreement.SchemaId)
        {
            throw new AgreementFormatException("$.schema", $"must be {DataSharingAgreement.SchemaId}");
        }

        var selection = new AgreementSelection();
        if (StrictJson.TryGet(root, "selection", out var sel))
        {
            json.ExpectObject(sel, "$.selection", SelectionKeys);
            selection = new AgreementSelection
            {
                Modalities = json.StringArray(sel, "$.selection", "modalities"),
                StudyDateFrom = json.Date(sel, "$.selection", "studyDateFrom"),
                StudyDateTo = json.Date(sel, "$.selection", "studyDateTo"),
                BodyParts = json.StringArray(sel, "$.selection", "bodyParts"),
                SopClassUids = json.StringArray(sel, "$.selection", "sopClassUids"),
            };
        }

        var deid = new AgreementDeidentification();
        if (StrictJson.TryGet(root, "deidentification", out var de))
        {
            json.ExpectObject(de, "$.deidentification", DeidKeys);
            JsonElement? profile = StrictJson.TryGet(de, "profile", out var p) ? p.Clone() : null;
            deid = new AgreementDeidentification
            {
                ProfileName = json.String(de, "$.deidentification", "profileName", required: false) ?? AgreementDeidSettings.ProfileNameOf(profile),
                Profile = profile,
                Options = json.StringArray(de, "$.deidentification", "options"),
            };
        }

        return new AgreementDraft
        {
            Id = json.String(root, "$", "id", required: true)!,
            Title = json.String(root, "$", "title", required: false),
            PurposeOfUse = json.String(root, "$", "purposeOfUse", required: true)!,
            Recipients = json.StringArray(root, "$", "recipients"),
            ValidFrom = json.Instant(root, "$", "validFrom", required: true)!.Value,
            ValidUntil = json.Instant(root, "$", "validUntil", required: true)!.Value,
            Selection = selection,
            Deidentification = deid,
            ConsentRequired = json.Bool(root, "$", "consentRequired") ?? true,
            CopyRetention = json.String(root, "$", "copyRetention", required: true)!,
        };
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
