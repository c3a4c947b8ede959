using System.Globalization;
using CloudArchive.Core.Retention;
using CloudArchive.Deidentification;
using CloudArchive.Dicom;
using CloudArchive.Research.Common;

namespace CloudArchive.Research.Agreements;

/// <summary>
/// The rules every agreement obeys (docs/research.md, "Agreements"). Applied when an agreement is created and every
/// time one is read, so exports and fetches only ever act on a valid agreement.
/// </summary>
public static class AgreementValidator
{
    /// <summary>Longest title accepted.</summary>
    public const int MaxTitleLength = 200;

    /// <summary>Longest closing reason accepted.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>Most recipients one agreement may name.</summary>
    public const int MaxRecipients = 256;

    /// <summary>Checks <paramref name="agreement"/>.</summary>
    /// <exception cref="AgreementFormatException">The first rule broken (where and why; never the value).</exception>
    public static void Validate(DataSharingAgreement agreement)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        if (agreement.Schema != DataSharingAgreement.SchemaId)
        {
            throw new AgreementFormatException("$.schema", $"must be {DataSharingAgreement.SchemaId}");
        }

        if (!DataSharingAgreement.IsValidId(agreement.Id))
        {
            throw new AgreementFormatException("$.id", "must be 3 to 63 lowercase letters, digits and hyphens, starting with a letter or digit");
        }

        CheckText(agreement.Title, "$.title", MaxTitleLength);
        if (!ResearchCodes.IsPurposeOfUse(agreement.PurposeOfUse))
        {
            throw new AgreementFormatException("$.purposeOfUse", "must be a PurposeOfUse code: an uppercase letter then 1 to 15 uppercase letters or digits (e.g. HRESCH)");
        }

        CheckRecipients(agreement.Recipients);
        if (agreement.ValidFrom >= agreement.ValidUntil)
        {
            throw new AgreementFormatException("$.validUntil", "must be later than validFrom");
        }

        CheckSelection(agreement.Selection);
        CheckDeidentification(agreement.Deidentification);
        if (!IsoPeriod.TryParse(agreement.CopyRetention, out var period, out _) || period.IsZero)
        {
            throw new AgreementFormatException("$.copyRetention", "must be a non-zero ISO 8601 period of years, months, weeks and days (e.g. P2Y, P18M)");
        }

        if (string.IsNullOrWhiteSpace(agreement.CreatedBy))
        {
            throw new AgreementFormatException("$.createdBy", "is required");
        }

        CheckText(agreement.CreatedBy, "$.createdBy", 256);
        if (agreement.Status == AgreementStatus.Closed)
        {
            if (agreement.ClosedAt is null || string.IsNullOrWhiteSpace(agreement.ClosedBy))
            {
                throw new AgreementFormatException("$.closedAt", "a closed agreement records closedAt and closedBy");
            }
        }
        else if (agreement.ClosedAt is not null || agreement.ClosedBy is not null || agreement.CloseReason is not null)
        {
            throw new AgreementFormatException("$.status", "an active agreement has no closedAt, closedBy or closeReason");
        }

        CheckText(agreement.ClosedBy, "$.closedBy", 256);
        CheckText(agreement.CloseReason, "$.closeReason", MaxReasonLength);
    }

    /// <summary>Checks a free-text field (title, reason): length and no control characters.</summary>
    /// <exception cref="AgreementFormatException">The text is too long or has control characters.</exception>
    public static void CheckText(string? text, string location, int maxLength)
    {
        if (text is null)
        {
            return;
        }

        if (text.Length > maxLength)
        {
            throw new AgreementFormatException(location, string.Create(CultureInfo.InvariantCulture, $"must be at most {maxLength} characters"));
        }

        if (text.Any(char.IsControl))
        {
            throw new AgreementFormatException(location, "must not contain control characters");
        }
    }

    private static void CheckRecipients(IReadOnlyList<string> recipients)
    {
        if (recipients is null || recipients.Count == 0)
        {
            throw new AgreementFormatException("$.recipients", "must name at least one recipient (Entra object or group id)");
        }

        if (recipients.Count > MaxRecipients)
        {
            throw new AgreementFormatException("$.recipients", string.Create(CultureInfo.InvariantCulture, $"must name at most {MaxRecipients} recipients"));
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < recipients.Count; i++)
        {
            var location = string.Create(CultureInfo.InvariantCulture, $"$.recipients[{i}]");
            if (!ResearchCodes.IsObjectId(recipients[i]))
            {
                throw new AgreementFormatException(location, "must be an Entra object id (GUID, e.g. 00000000-0000-0000-0000-000000000000)");
            }

            if (!seen.Add(recipients[i]))
            {
                throw new AgreementFormatException(location, "is listed twice");
            }
        }
    }

    private static void CheckSelection(AgreementSelection selection)
    {
        ArgumentNullException.ThrowIfNull(selection);
        CheckCodes(selection.Modalities, "$.selection.modalities", "a modality code (uppercase CS, e.g. CT)");
        CheckCodes(selection.BodyParts, "$.selection.bodyParts", "a Body Part Examined code (uppercase CS, e.g. CHEST)");
        for (var i = 0; i < selection.SopClassUids.Count; i++)
        {
            var uid = selection.SopClassUids[i];
            if (!DicomUid.IsValid(uid))
            {
                throw new AgreementFormatException(string.Create(CultureInfo.InvariantCulture, $"$.selection.sopClassUids[{i}]"), "must be a DICOM UID (digits and dots, at most 64 characters)");
            }
        }

        if (selection.StudyDateFrom > selection.StudyDateTo)
        {
            throw new AgreementFormatException("$.selection.studyDateTo", "must not be before studyDateFrom");
        }
    }

    private static void CheckCodes(IReadOnlyList<string> codes, string location, string what)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < codes.Count; i++)
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"{location}[{i}]");
            if (!ResearchCodes.IsCodeString(codes[i]))
            {
                throw new AgreementFormatException(at, "must be " + what);
            }

            if (!seen.Add(codes[i]))
            {
                throw new AgreementFormatException(at, "is listed twice");
            }
        }
    }

    private static void CheckDeidentification(AgreementDeidentification deid)
    {
        ArgumentNullException.ThrowIfNull(deid);
        try
        {
            var settings = AgreementDeidSettings.Build(deid);
            if (deid.Profile is not null && settings.Name != deid.ProfileName)
            {
                throw new AgreementFormatException("$.deidentification.profileName", "must equal the embedded profile's name");
            }
        }
        catch (DeidConfigurationException e)
        {
            var location = e.Location.StartsWith('$') ? "$.deidentification.profile" + e.Location[1..] : "$.deidentification." + e.Location;
            throw new AgreementFormatException(location, e.Reason);
        }

        if (deid.Profile is null && deid.ProfileName != "basic")
        {
            throw new AgreementFormatException("$.deidentification.profileName", "must be basic when no profile is embedded");
        }
    }
}
