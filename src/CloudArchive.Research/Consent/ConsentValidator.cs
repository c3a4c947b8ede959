using System.Globalization;
using System.Text.RegularExpressions;
using CloudArchive.Research.Agreements;
using CloudArchive.Research.Common;

namespace CloudArchive.Research.Consent;

/// <summary>The rules every stored consent record obeys (docs/research.md, "Consents").</summary>
public static partial class ConsentValidator
{
    /// <summary>The record sources.</summary>
    public static IReadOnlyList<string> Sources { get; } = ["csv", "fhir", "cli"];

    /// <summary>Longest status reason accepted.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>Whether <paramref name="id"/> is an acceptable source consent id (FHIR id: 1–64 of letters, digits, '-' and '.').</summary>
    public static bool IsSourceId(string? id) => id is not null && FhirId().IsMatch(id);

    /// <summary>Whether <paramref name="actor"/> may be named as a consented recipient: an Entra object id or an agreement id.</summary>
    public static bool IsActor(string? actor) => ResearchCodes.IsObjectId(actor) || DataSharingAgreement.IsValidId(actor);

    /// <summary>Checks <paramref name="record"/>.</summary>
    /// <exception cref="ConsentFormatException">The first rule broken (where and why; never the value).</exception>
    public static void Validate(ConsentRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Schema != ConsentRecord.SchemaId)
        {
            throw new ConsentFormatException("$.schema", $"must be {ConsentRecord.SchemaId}");
        }

        if (!ConsentNames.IsPseudonym(record.PatientPseudonym))
        {
            throw new ConsentFormatException("$.patientPseudonym", "must be a patient pseudonym (26 lowercase base32 characters)");
        }

        if (record.SourceId is not null && !IsSourceId(record.SourceId))
        {
            throw new ConsentFormatException("$.sourceId", "must be 1 to 64 letters, digits, '-' or '.'");
        }

        if (!Enum.IsDefined(record.Status))
        {
            throw new ConsentFormatException("$.status", "is not a consent status");
        }

        ValidateTerms(record.PeriodStart, record.PeriodEnd, record.DataFrom, record.DataTo, record.Purposes, record.Actors, record.Deny, record.Status, "$");
        if (!Sources.Contains(record.Source))
        {
            throw new ConsentFormatException("$.source", "must be csv, fhir or cli");
        }

        if (string.IsNullOrWhiteSpace(record.RecordedBy) || record.RecordedBy.Length > 256 || record.RecordedBy.Any(char.IsControl))
        {
            throw new ConsentFormatException("$.recordedBy", "must be an actor id of 1 to 256 characters");
        }

        if (record.StatusReason is not null && (record.StatusReason.Length > MaxReasonLength || record.StatusReason.Any(char.IsControl)))
        {
            throw new ConsentFormatException("$.statusReason", string.Create(CultureInfo.InvariantCulture, $"must be at most {MaxReasonLength} characters without control characters"));
        }
    }

    /// <summary>Checks the consent terms (shared by stored records and import rows).</summary>
    /// <exception cref="ConsentFormatException">The first rule broken; <paramref name="at"/> prefixes the location.</exception>
    public static void ValidateTerms(
        DateTimeOffset? periodStart,
        DateTimeOffset? periodEnd,
        DateOnly? dataFrom,
        DateOnly? dataTo,
        IReadOnlyList<string> purposes,
        IReadOnlyList<string> actors,
        IReadOnlyList<ConsentDenyProvision> deny,
        ConsentStatus status,
        string at)
    {
        ArgumentNullException.ThrowIfNull(purposes);
        ArgumentNullException.ThrowIfNull(actors);
        ArgumentNullException.ThrowIfNull(deny);
        if (periodStart is not null && periodEnd is not null && periodStart >= periodEnd)
        {
            throw new ConsentFormatException(at + ".periodEnd", "must be later than the period start");
        }

        if (dataFrom is not null && dataTo is not null && dataFrom > dataTo)
        {
            throw new ConsentFormatException(at + ".dataTo", "must not be before the data period start");
        }

        CheckPurposes(purposes, at + ".purposes");
        if (status == ConsentStatus.Active && purposes.Count == 0)
        {
            throw new ConsentFormatException(at + ".purposes", "an active consent names at least one purpose (research needs an explicit code such as HRESCH)");
        }

        for (var i = 0; i < actors.Count; i++)
        {
            if (!IsActor(actors[i]))
            {
                throw new ConsentFormatException(string.Create(CultureInfo.InvariantCulture, $"{at}.actors[{i}]"), "must be an Entra object id (GUID) or an agreement id");
            }
        }

        for (var i = 0; i < deny.Count; i++)
        {
            var d = deny[i] ?? throw new ConsentFormatException(string.Create(CultureInfo.InvariantCulture, $"{at}.deny[{i}]"), "must not be null");
            var p = string.Create(CultureInfo.InvariantCulture, $"{at}.deny[{i}]");
            CheckCodes(d.Modalities, p + ".modalities", "a modality code (uppercase CS, e.g. CT)");
            CheckCodes(d.BodyParts, p + ".bodyParts", "a Body Part Examined code (uppercase CS, e.g. CHEST)");
            CheckPurposes(d.Purposes, p + ".purposes");
            if (d.DataFrom is not null && d.DataTo is not null && d.DataFrom > d.DataTo)
            {
                throw new ConsentFormatException(p + ".dataTo", "must not be before dataFrom");
            }
        }
    }

    private static void CheckPurposes(IReadOnlyList<string> purposes, string at)
    {
        for (var i = 0; i < purposes.Count; i++)
        {
            if (!ResearchCodes.IsPurposeOfUse(purposes[i]))
            {
                throw new ConsentFormatException(string.Create(CultureInfo.InvariantCulture, $"{at}[{i}]"), "must be a PurposeOfUse code (e.g. HRESCH)");
            }
        }
    }

    private static void CheckCodes(IReadOnlyList<string> codes, string at, string what)
    {
        for (var i = 0; i < codes.Count; i++)
        {
            if (!ResearchCodes.IsCodeString(codes[i]))
            {
                throw new ConsentFormatException(string.Create(CultureInfo.InvariantCulture, $"{at}[{i}]"), "must be " + what);
            }
        }
    }

    // \A and \z, not ^ and $: $ also matches before a final "\n", so "abc\n" would pass.
    [GeneratedRegex(@"\A[A-Za-z0-9.-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex FhirId();
}
