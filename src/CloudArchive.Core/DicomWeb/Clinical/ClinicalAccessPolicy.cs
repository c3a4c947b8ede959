using CloudArchive.Core.Identity;

namespace CloudArchive.Core.DicomWeb.Clinical;

/// <summary>
/// Who may read the original archive through clinical DICOMweb, deny by default: the <c>Archive.Read</c> app role, and a
/// stated purpose of use that the archive's configuration accepts (HL7 v3 PurposeOfUse, exact upper-case code). The
/// host carries the decision out and audits it; the purpose goes into every audit line of the request.
/// </summary>
public static class ClinicalAccessPolicy
{
    /// <summary>The role every clinical DICOMweb request needs.</summary>
    public const string RequiredRole = ArchiveRoles.ArchiveRead;

    /// <summary>Whether <paramref name="principal"/>, stating <paramref name="purposeOfUse"/>, may use the clinical root.</summary>
    /// <param name="principal">The authenticated caller.</param>
    /// <param name="purposeOfUse">The header's value as sent (null when absent); it is never trimmed or case-folded.</param>
    /// <param name="options">The accepted purposes.</param>
    public static ClinicalAccessDecision Decide(ArchivePrincipal principal, string? purposeOfUse, ClinicalDicomWebOptions options)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(options);
        if (!principal.HasRole(RequiredRole))
        {
            return ClinicalAccessDecision.Denied(ClinicalDenialReason.MissingRole);
        }

        if (string.IsNullOrEmpty(purposeOfUse))
        {
            return ClinicalAccessDecision.Denied(ClinicalDenialReason.MissingPurpose);
        }

        // Exact match only: a lenient reading ("treat ", "Treat") would make the audit record a purpose nobody stated.
        return IsPurposeCode(purposeOfUse) && options.AllowedPurposes.Contains(purposeOfUse)
            ? ClinicalAccessDecision.Allowed(purposeOfUse)
            : ClinicalAccessDecision.Denied(ClinicalDenialReason.UnknownPurpose);
    }

    /// <summary>True for an upper-case code of 2–16 letters (the shape of HL7 v3 PurposeOfUse codes).</summary>
    public static bool IsPurposeCode(string value) =>
        value.Length is >= 2 and <= 16 && value.All(c => c is >= 'A' and <= 'Z');
}
