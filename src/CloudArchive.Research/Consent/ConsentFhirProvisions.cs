using System.Globalization;
using System.Text.Json;
using CloudArchive.Research.Common;

namespace CloudArchive.Research.Consent;

/// <summary>
/// The parts of a FHIR Consent's provisions <see cref="ConsentFhirReader"/> maps: periods, purposes, actors and the
/// nested deny provisions with their codes. What cannot be represented is a <see cref="ConsentFormatException"/>, never
/// dropped.
/// </summary>
internal static class ConsentFhirProvisions
{
    private const string PurposeOid = "urn:oid:2.16.840.1.113883.5.8";

    /// <summary>
    /// SNOMED CT anatomic regions mapped to Body Part Examined terms (PS3.16 Annex L). Deliberately short: a code
    /// outside it is an error, never guessed.
    /// </summary>
    private static readonly Dictionary<string, string> SnomedBodyParts = new(StringComparer.Ordinal)
    {
        ["818981001"] = "ABDOMEN",
        ["818982008"] = "ABDOMENPELVIS",
        ["80891009"] = "HEART",
        ["76752008"] = "BREAST",
    };

    private static readonly HashSet<string> DenyKeys = ["id", "extension", "type", "purpose", "class", "code", "dataPeriod"];

    public static ConsentDenyProvision ReadDeny(StrictJson json, JsonElement n, string at)
    {
        if (n.ValueKind == JsonValueKind.Object && n.TryGetProperty("provision", out _))
        {
            throw new ConsentFormatException(at + ".provision", "provisions nested inside a deny provision are not supported");
        }

        json.ExpectObject(n, at, DenyKeys);
        RejectModifiers(n, at);
        if (json.String(n, at, "type", required: true) != "deny")
        {
            throw new ConsentFormatException(at + ".type", "nested provisions must deny (nested permits are not supported)");
        }

        var modalities = new List<string>();
        var bodyParts = new List<string>();
        if (StrictJson.TryGet(n, "class", out var classes))
        {
            var i = 0;
            foreach (var coding in Array(classes, at + ".class"))
            {
                AddCode(json, coding, string.Create(CultureInfo.InvariantCulture, $"{at}.class[{i++}]"), modalities, bodyParts);
            }
        }

        if (StrictJson.TryGet(n, "code", out var codes))
        {
            var i = 0;
            foreach (var concept in Array(codes, at + ".code"))
            {
                var cp = string.Create(CultureInfo.InvariantCulture, $"{at}.code[{i++}]");
                if (concept.ValueKind != JsonValueKind.Object || !StrictJson.TryGet(concept, "coding", out var codings))
                {
                    throw new ConsentFormatException(cp, "must be a CodeableConcept with coding");
                }

                var j = 0;
                foreach (var coding in Array(codings, cp + ".coding"))
                {
                    AddCode(json, coding, string.Create(CultureInfo.InvariantCulture, $"{cp}.coding[{j++}]"), modalities, bodyParts);
                }
            }
        }

        var (from, to) = ReadDataPeriod(json, n, at);
        var purposes = ReadPurposes(json, n, at);

        // FHIR ANDs criteria of different kinds within one provision and ORs codes of one kind, which is exactly what
        // ConsentDenyProvision means.
        return new ConsentDenyProvision
        {
            Modalities = modalities.Distinct(StringComparer.Ordinal).ToArray(),
            BodyParts = bodyParts.Distinct(StringComparer.Ordinal).ToArray(),
            Purposes = purposes,
            DataFrom = from,
            DataTo = to,
        };
    }

    private static void AddCode(StrictJson json, JsonElement coding, string at, List<string> modalities, List<string> bodyParts)
    {
        if (coding.ValueKind != JsonValueKind.Object)
        {
            throw new ConsentFormatException(at, "must be a Coding");
        }

        var system = json.String(coding, at, "system", required: true);
        var code = json.String(coding, at, "code", required: true)!;
        switch (system)
        {
            case ConsentFhirReader.DicomSystem when ResearchCodes.IsCodeString(code):
                modalities.Add(code);
                break;
            case ConsentFhirReader.DicomSystem:
                throw new ConsentFormatException(at + ".code", "must be a DICOM modality code (e.g. CT, MR)");
            case ConsentFhirReader.BodyPartSystem when ResearchCodes.IsCodeString(code):
                bodyParts.Add(code);
                break;
            case ConsentFhirReader.BodyPartSystem:
                throw new ConsentFormatException(at + ".code", "must be a Body Part Examined defined term (e.g. CHEST)");
            case ConsentFhirReader.SnomedSystem when SnomedBodyParts.TryGetValue(code, out var term):
                bodyParts.Add(term);
                break;
            case ConsentFhirReader.SnomedSystem:
                throw new ConsentFormatException(at + ".code", $"this SNOMED CT code has no Body Part Examined mapping here; use system {ConsentFhirReader.BodyPartSystem} with the DICOM term");
            default:
                throw new ConsentFormatException(at + ".system", $"unsupported code system; use {ConsentFhirReader.DicomSystem} (modality), {ConsentFhirReader.BodyPartSystem} or {ConsentFhirReader.SnomedSystem} (body part)");
        }
    }

    public static List<string> ReadPurposes(StrictJson json, JsonElement p, string at)
    {
        var list = new List<string>();
        if (!StrictJson.TryGet(p, "purpose", out var purposes))
        {
            return list;
        }

        var i = 0;
        foreach (var coding in Array(purposes, at + ".purpose"))
        {
            var cp = string.Create(CultureInfo.InvariantCulture, $"{at}.purpose[{i++}]");
            if (coding.ValueKind != JsonValueKind.Object)
            {
                throw new ConsentFormatException(cp, "must be a Coding");
            }

            var system = json.String(coding, cp, "system", required: false);
            if (system is not null and not ConsentFhirReader.PurposeSystem and not PurposeOid)
            {
                throw new ConsentFormatException(cp + ".system", $"must be {ConsentFhirReader.PurposeSystem}");
            }

            list.Add(json.String(coding, cp, "code", required: true)!);
        }

        return list;
    }

    public static List<string> ReadActors(StrictJson json, JsonElement p, string at)
    {
        var list = new List<string>();
        if (!StrictJson.TryGet(p, "actor", out var actors))
        {
            return list;
        }

        var i = 0;
        foreach (var actor in Array(actors, at + ".actor"))
        {
            var ap = string.Create(CultureInfo.InvariantCulture, $"{at}.actor[{i++}]");
            if (actor.ValueKind != JsonValueKind.Object || !StrictJson.TryGet(actor, "reference", out var reference) || reference.ValueKind != JsonValueKind.Object)
            {
                throw new ConsentFormatException(ap + ".reference", "is required");
            }

            string? id = null;
            if (StrictJson.TryGet(reference, "identifier", out var identifier) && identifier.ValueKind == JsonValueKind.Object)
            {
                id = json.String(identifier, ap + ".reference.identifier", "value", required: true);
            }
            else if (json.String(reference, ap + ".reference", "reference", required: false) is { } literal)
            {
                // Relative literal references (Group/{id}, Practitioner/{id}, Organization/{id}) carry the object id;
                // contained (#...) and absolute URLs cannot be resolved here.
                var slash = literal.IndexOf('/', StringComparison.Ordinal);
                id = slash > 0 && literal.IndexOf('/', slash + 1) < 0 && !literal.Contains(':', StringComparison.Ordinal) ? literal[(slash + 1)..] : null;
                if (id is null)
                {
                    throw new ConsentFormatException(ap + ".reference.reference", "must be a relative reference Type/id");
                }
            }

            if (id is null)
            {
                throw new ConsentFormatException(ap + ".reference", "needs identifier.value or reference");
            }

            list.Add(ResearchCodes.IsObjectId(id) ? id.ToLowerInvariant() : id);
        }

        return list;
    }

    public static (DateTimeOffset?, DateTimeOffset?) ReadPeriod(StrictJson json, JsonElement p, string at, string name)
    {
        if (!StrictJson.TryGet(p, name, out var period))
        {
            return (null, null);
        }

        var pp = $"{at}.{name}";
        if (period.ValueKind != JsonValueKind.Object)
        {
            throw new ConsentFormatException(pp, "must be a Period");
        }

        return (ConsentTimes.PeriodStart(json.String(period, pp, "start", required: false), pp + ".start"),
            ConsentTimes.PeriodEnd(json.String(period, pp, "end", required: false), pp + ".end"));
    }

    public static (DateOnly?, DateOnly?) ReadDataPeriod(StrictJson json, JsonElement p, string at)
    {
        if (!StrictJson.TryGet(p, "dataPeriod", out var period))
        {
            return (null, null);
        }

        var pp = at + ".dataPeriod";
        if (period.ValueKind != JsonValueKind.Object)
        {
            throw new ConsentFormatException(pp, "must be a Period");
        }

        return (ConsentTimes.Date(json.String(period, pp, "start", required: false), pp + ".start"),
            ConsentTimes.Date(json.String(period, pp, "end", required: false), pp + ".end"));
    }

    public static void RejectModifiers(JsonElement e, string at)
    {
        if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty("modifierExtension", out _))
        {
            throw new ConsentFormatException(at + ".modifierExtension", "modifier extensions are not supported");
        }
    }

    private static JsonElement.ArrayEnumerator Array(JsonElement e, string at) =>
        e.ValueKind == JsonValueKind.Array ? e.EnumerateArray() : throw new ConsentFormatException(at, "must be an array");
}
