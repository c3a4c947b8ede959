using System.Globalization;
using System.Text.Json;
using CloudArchive.Research.Common;

namespace CloudArchive.Research.Consent;

/// <summary>
/// Reads FHIR R4 Consent resources (one resource, or a Bundle of them) into import rows. The mapping is documented in
/// docs/research.md ("Consents"). Anything that would change the meaning of a consent but cannot be represented (a
/// modifier extension, a nested permit, security labels, data references, an unknown code system) makes that Consent
/// an error instead of being dropped silently: an ignored restriction would release data the patient withheld.
/// </summary>
public static class ConsentFhirReader
{
    /// <summary>DICOM code system (modality codes).</summary>
    public const string DicomSystem = "http://dicom.nema.org/resources/ontology/DCM";

    /// <summary>SNOMED CT (anatomic region codes, mapped to Body Part Examined terms).</summary>
    public const string SnomedSystem = "http://snomed.info/sct";

    /// <summary>Code system whose codes are DICOM Body Part Examined (0018,0015) defined terms, e.g. <c>CHEST</c>.</summary>
    public const string BodyPartSystem = "urn:cloudarchive:body-part-examined";

    /// <summary>HL7 v3 ActReason (PurposeOfUse) code system.</summary>
    public const string PurposeSystem = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

    /// <summary>Most Consent resources one document may hold.</summary>
    public const int MaxEntries = 100_000;

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

    private static readonly HashSet<string> ProvisionKeys = ["id", "extension", "type", "period", "actor", "action", "purpose", "class", "code", "dataPeriod", "provision"];
    private static readonly HashSet<string> DenyKeys = ["id", "extension", "type", "purpose", "class", "code", "dataPeriod"];

    /// <summary>Reads a FHIR JSON document (Consent or Bundle).</summary>
    /// <exception cref="ConsentFormatException">Not JSON, or neither a Consent nor a Bundle.</exception>
    public static async Task<ConsentSourceReadResult> ReadAsync(Stream json, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Read(await ConsentSourceLimits.ReadBoundedAsync(json, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Reads a FHIR JSON document (Consent or Bundle).</summary>
    /// <exception cref="ConsentFormatException">Not JSON, or neither a Consent nor a Bundle.</exception>
    public static ConsentSourceReadResult Read(ReadOnlyMemory<byte> utf8)
    {
        var json = new StrictJson((path, reason) => new ConsentFormatException(path, reason));
        using var doc = json.Parse(utf8);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ConsentFormatException("$", "must be a FHIR resource (a JSON object)");
        }

        var rows = new List<ConsentImportRow>();
        var errors = new List<ConsentImportError>();
        switch (json.String(root, "$", "resourceType", required: true))
        {
            case "Consent":
                Add(json, root, "$", rows, errors);
                break;
            case "Bundle":
                if (!StrictJson.TryGet(root, "entry", out var entries))
                {
                    break;
                }

                if (entries.ValueKind != JsonValueKind.Array)
                {
                    throw new ConsentFormatException("$.entry", "must be an array");
                }

                if (entries.GetArrayLength() > MaxEntries)
                {
                    throw new ConsentFormatException("$.entry", string.Create(CultureInfo.InvariantCulture, $"a bundle holds at most {MaxEntries} entries; split it"));
                }

                var i = 0;
                foreach (var entry in entries.EnumerateArray())
                {
                    var at = string.Create(CultureInfo.InvariantCulture, $"entry[{i++}]");
                    if (entry.ValueKind != JsonValueKind.Object || !StrictJson.TryGet(entry, "resource", out var resource) || resource.ValueKind != JsonValueKind.Object)
                    {
                        errors.Add(new ConsentImportError(at, "has no resource"));
                        continue;
                    }

                    if (!resource.TryGetProperty("resourceType", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "Consent")
                    {
                        errors.Add(new ConsentImportError(at, "resource is not a Consent"));
                        continue;
                    }

                    Add(json, resource, at, rows, errors);
                }

                break;
            default:
                throw new ConsentFormatException("$.resourceType", "must be Consent or Bundle");
        }

        return new ConsentSourceReadResult(rows, errors);
    }

    private static void Add(StrictJson json, JsonElement consent, string at, List<ConsentImportRow> rows, List<ConsentImportError> errors)
    {
        try
        {
            rows.Add(ReadConsent(json, consent, at));
        }
        catch (ConsentFormatException e)
        {
            errors.Add(new ConsentImportError(at, e.Location.StartsWith(at, StringComparison.Ordinal) && e.Location.Length > at.Length
                ? $"{e.Location[(at.Length + 1)..]}: {e.Reason}"
                : e.Reason));
        }
    }

    private static ConsentImportRow ReadConsent(StrictJson json, JsonElement c, string at)
    {
        if (c.TryGetProperty("modifierExtension", out _))
        {
            throw new ConsentFormatException(at + ".modifierExtension", "modifier extensions change the meaning of a Consent and are not supported");
        }

        if (!ConsentStatusCodes.TryParse(json.String(c, at, "status", required: true), out var status))
        {
            throw new ConsentFormatException(at + ".status", "must be a FHIR consent-state code");
        }

        var sourceId = json.String(c, at, "id", required: false);
        if (sourceId is not null && !ConsentValidator.IsSourceId(sourceId))
        {
            throw new ConsentFormatException(at + ".id", "must be a FHIR id (1 to 64 letters, digits, '-' or '.')");
        }

        var (patientId, issuer) = ReadPatient(json, c, at);
        var purposes = new List<string>();
        var actors = new List<string>();
        var deny = new List<ConsentDenyProvision>();
        DateTimeOffset? periodStart = null, periodEnd = null;
        DateOnly? dataFrom = null, dataTo = null;
        if (StrictJson.TryGet(c, "provision", out var p))
        {
            var pp = at + ".provision";
            json.ExpectObject(p, pp, ProvisionKeys);
            RejectModifiers(p, pp);
            var type = json.String(p, pp, "type", required: false);
            if (type is not null and not "permit")
            {
                throw new ConsentFormatException(pp + ".type", "the base provision must permit (an opt-out Consent with type deny is not supported)");
            }

            if (StrictJson.TryGet(p, "class", out _) || StrictJson.TryGet(p, "code", out _))
            {
                throw new ConsentFormatException(pp, "a base provision limited by class or code is not supported; state exclusions as nested deny provisions");
            }

            (periodStart, periodEnd) = ReadPeriod(json, p, pp, "period");
            (dataFrom, dataTo) = ReadDataPeriod(json, p, pp);
            purposes.AddRange(ReadPurposes(json, p, pp));
            actors.AddRange(ReadActors(json, p, pp));
            if (StrictJson.TryGet(p, "provision", out var nested))
            {
                if (nested.ValueKind != JsonValueKind.Array)
                {
                    throw new ConsentFormatException(pp + ".provision", "must be an array");
                }

                var i = 0;
                foreach (var n in nested.EnumerateArray())
                {
                    deny.Add(ReadDeny(json, n, string.Create(CultureInfo.InvariantCulture, $"{pp}.provision[{i++}]")));
                }
            }
        }

        ConsentValidator.ValidateTerms(periodStart, periodEnd, dataFrom, dataTo, purposes, actors, deny, status, at + ".provision");
        return new ConsentImportRow
        {
            Location = at,
            PatientId = patientId,
            Issuer = issuer,
            SourceId = sourceId,
            Status = status,
            PeriodStart = periodStart,
            PeriodEnd = periodEnd,
            DataFrom = dataFrom,
            DataTo = dataTo,
            Purposes = purposes.Distinct(StringComparer.Ordinal).ToArray(),
            Actors = actors.Distinct(StringComparer.Ordinal).ToArray(),
            Deny = deny,
        };
    }

    private static (string PatientId, string? Issuer) ReadPatient(StrictJson json, JsonElement c, string at)
    {
        if (!StrictJson.TryGet(c, "patient", out var patient) || patient.ValueKind != JsonValueKind.Object)
        {
            throw new ConsentFormatException(at + ".patient", "is required");
        }

        if (!StrictJson.TryGet(patient, "identifier", out var identifier) || identifier.ValueKind != JsonValueKind.Object)
        {
            throw new ConsentFormatException(at + ".patient.identifier", "is required: a reference alone cannot be resolved to a Patient ID here (give identifier.system and identifier.value)");
        }

        var value = json.String(identifier, at + ".patient.identifier", "value", required: true)!.Trim();
        var system = json.String(identifier, at + ".patient.identifier", "system", required: false)?.Trim();
        if (value.Length == 0)
        {
            throw new ConsentFormatException(at + ".patient.identifier.value", "must not be empty");
        }

        if (value.Length > ConsentCsvReader.MaxIdLength || value.Any(char.IsControl) || (system?.Length ?? 0) > ConsentCsvReader.MaxIdLength)
        {
            throw new ConsentFormatException(at + ".patient.identifier", string.Create(CultureInfo.InvariantCulture, $"value and system must be at most {ConsentCsvReader.MaxIdLength} characters (DICOM LO) without control characters"));
        }

        return (value, string.IsNullOrEmpty(system) ? null : system);
    }

    private static ConsentDenyProvision ReadDeny(StrictJson json, JsonElement n, string at)
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
            case DicomSystem when ResearchCodes.IsCodeString(code):
                modalities.Add(code);
                break;
            case DicomSystem:
                throw new ConsentFormatException(at + ".code", "must be a DICOM modality code (e.g. CT, MR)");
            case BodyPartSystem when ResearchCodes.IsCodeString(code):
                bodyParts.Add(code);
                break;
            case BodyPartSystem:
                throw new ConsentFormatException(at + ".code", "must be a Body Part Examined defined term (e.g. CHEST)");
            case SnomedSystem when SnomedBodyParts.TryGetValue(code, out var term):
                bodyParts.Add(term);
                break;
            case SnomedSystem:
                throw new ConsentFormatException(at + ".code", $"this SNOMED CT code has no Body Part Examined mapping here; use system {BodyPartSystem} with the DICOM term");
            default:
                throw new ConsentFormatException(at + ".system", $"unsupported code system; use {DicomSystem} (modality), {BodyPartSystem} or {SnomedSystem} (body part)");
        }
    }

    private static List<string> ReadPurposes(StrictJson json, JsonElement p, string at)
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
            if (system is not null and not PurposeSystem and not PurposeOid)
            {
                throw new ConsentFormatException(cp + ".system", $"must be {PurposeSystem}");
            }

            list.Add(json.String(coding, cp, "code", required: true)!);
        }

        return list;
    }

    private static List<string> ReadActors(StrictJson json, JsonElement p, string at)
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

    private static (DateTimeOffset?, DateTimeOffset?) ReadPeriod(StrictJson json, JsonElement p, string at, string name)
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

    private static (DateOnly?, DateOnly?) ReadDataPeriod(StrictJson json, JsonElement p, string at)
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

    private static void RejectModifiers(JsonElement e, string at)
    {
        if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty("modifierExtension", out _))
        {
            throw new ConsentFormatException(at + ".modifierExtension", "modifier extensions are not supported");
        }
    }

    private static JsonElement.ArrayEnumerator Array(JsonElement e, string at) =>
        e.ValueKind == JsonValueKind.Array ? e.EnumerateArray() : throw new ConsentFormatException(at, "must be an array");
}
