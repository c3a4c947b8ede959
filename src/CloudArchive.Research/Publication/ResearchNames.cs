using System.Text.RegularExpressions;
using CloudArchive.Dicom;
using CloudArchive.Research.Agreements;

namespace CloudArchive.Research.Publication;

/// <summary>
/// Blob names in the <c>research</c> container. Paths mirror DICOMweb WADO-RS
/// (<c>studies/{uid}/series/{uid}/instances/{uid}</c>) over the de-identified UIDs (<c>2.25.*</c>, derived with the
/// agreement's secret), so the researcher API maps a request path to a blob name without any lookup table. Only
/// de-identified UIDs appear: no PHI in names.
/// </summary>
public static partial class ResearchNames
{
    /// <summary>Everything of one agreement.</summary>
    public static string AgreementPrefix(string agreementId) => RequireAgreement(agreementId) + "/";

    /// <summary>All instances of one study of an agreement.</summary>
    public static string StudyPrefix(string agreementId, string studyUid) =>
        $"{RequireAgreement(agreementId)}/studies/{RequireUid(studyUid)}/";

    /// <summary>All instances of one series.</summary>
    public static string SeriesPrefix(string agreementId, string studyUid, string seriesUid) =>
        $"{StudyPrefix(agreementId, studyUid)}series/{RequireUid(seriesUid)}/";

    /// <summary>One de-identified instance.</summary>
    public static string Instance(string agreementId, string studyUid, string seriesUid, string instanceUid) =>
        $"{SeriesPrefix(agreementId, studyUid, seriesUid)}instances/{RequireUid(instanceUid)}.dcm";

    /// <summary>The researcher-facing manifest of the agreement's latest export.</summary>
    public static string Manifest(string agreementId) => $"{RequireAgreement(agreementId)}/manifest.json";

    /// <summary>Parses an instance blob name back into its parts, or null when the name is not one.</summary>
    public static ResearchInstanceName? ParseInstance(string name)
    {
        var m = InstancePattern().Match(name ?? string.Empty);
        return m.Success && DataSharingAgreement.IsValidId(m.Groups[1].Value)
            ? new ResearchInstanceName(m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value)
            : null;
    }

    private static string RequireAgreement(string agreementId) =>
        DataSharingAgreement.IsValidId(agreementId) ? agreementId : throw new ArgumentException("Not a valid agreement id.", nameof(agreementId));

    private static string RequireUid(string uid) =>
        DicomUid.IsValid(uid) ? uid : throw new ArgumentException("Not a valid UID.", nameof(uid));

    // \A and \z, not ^ and $: $ also matches before a final "\n", so "abc\n" would pass.
    [GeneratedRegex(@"\A([a-z0-9][a-z0-9-]{2,62})/studies/([0-9.]+)/series/([0-9.]+)/instances/([0-9.]+)\.dcm\z", RegexOptions.CultureInvariant)]
    private static partial Regex InstancePattern();
}
