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

    private static readonly HashSet<string> ProvisionKeys = ["id", "extension", "type", "period", "actor", "action", "purpose", "class", "code", "dataPeriod", "provision"];

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
            ConsentFhirProvisions.RejectModifiers(p, pp);
            var type = json.String(p, pp, "type", required: false);
            if (type is not null and not "permit")
            {
                throw new ConsentFormatException(pp + ".type", "the base provision must permit (an opt-out Consent with type deny is not supported)");
            }

            if (StrictJson.TryGet(p, "class", out _) || StrictJson.TryGet(p, "code", out _))
            {
                throw new ConsentFormatException(pp, "a base provision limited by class or code is not supported; state exclusions as nested deny provisions");
            }

            (periodStart, periodEnd) = ConsentFhirProvisions.ReadPeriod(json, p, pp, "period");
            (dataFrom, dataTo) = ConsentFhirProvisions.ReadDataPeriod(json, p, pp);
            purposes.AddRange(ConsentFhirProvisions.ReadPurposes(json, p, pp));
            actors.AddRange(ConsentFhirProvisions.ReadActors(json, p, pp));
            if (StrictJson.TryGet(p, "provision", out var nested))
            {
                if (nested.ValueKind != JsonValueKind.Array)
                {
                    throw new ConsentFormatException(pp + ".provision", "must be an array");
                }

                var i = 0;
                foreach (var n in nested.EnumerateArray())
                {
                    deny.Add(ConsentFhirProvisions.ReadDeny(json, n, string.Create(CultureInfo.InvariantCulture, $"{pp}.provision[{i++}]")));
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

}
