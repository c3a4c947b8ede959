using CloudArchive.Dicom;
using CloudArchive.Functions.DicomWeb.Research;
using CloudArchive.Research.Agreements;

namespace CloudArchive.Functions.Research;

/// <summary>
/// A parsed researcher API path (below <c>/api/research/</c>). Parsing is strict and total: every segment is either a
/// fixed word or an identifier that passed its syntax check, so nothing a client sends reaches a blob name unchecked.
/// </summary>
/// <param name="Kind">The operation.</param>
/// <param name="AgreementId">The agreement (valid id), for agreement-scoped operations.</param>
/// <param name="StudyUid">De-identified Study Instance UID (valid UID), if any.</param>
/// <param name="SeriesUid">De-identified Series Instance UID (valid UID), if any.</param>
/// <param name="InstanceUid">De-identified SOP Instance UID (valid UID), if any.</param>
/// <param name="DicomWeb">The DICOMweb resource, for <see cref="ResearchRouteKind.DicomWeb"/>.</param>
public sealed record ResearchRoute(ResearchRouteKind Kind, string? AgreementId = null, string? StudyUid = null, string? SeriesUid = null, string? InstanceUid = null, ResearchDicomWebRoute? DicomWeb = null)
{
    /// <summary>The path prefix every researcher API route shares (the Functions route prefix <c>api</c> + the function's route).</summary>
    public const string BasePath = "/api/research";

    /// <summary>
    /// Parses the part of the path after <see cref="BasePath"/>. Returns null with <paramref name="error"/> =
    /// <see cref="ResearchRouteError.NotFound"/> for an unknown shape and <see cref="ResearchRouteError.InvalidIdentifier"/>
    /// for a known shape with an identifier that is not syntactically valid.
    /// </summary>
    public static ResearchRoute? Parse(string? relativePath, out ResearchRouteError error)
    {
        error = ResearchRouteError.NotFound;
        var path = relativePath ?? string.Empty;
        if (path.Length > 1024)
        {
            return null;
        }

        // Empty segments (a//b), a trailing slash and dot segments never match a route: no normalisation, no guessing.
        var s = path.Trim('/').Length == 0 ? [] : path.TrimStart('/').Split('/');
        if (s.Length == 0 || s[0] != "agreements")
        {
            return null;
        }

        if (s.Length == 1)
        {
            error = ResearchRouteError.None;
            return new ResearchRoute(ResearchRouteKind.ListAgreements);
        }

        if (s.Length >= 3 && s[2] == "dicomweb")
        {
            var resource = ResearchDicomWebRoute.Parse(string.Join('/', s[3..]), out var invalid);
            if (!DataSharingAgreement.IsValidId(s[1]) || invalid)
            {
                error = ResearchRouteError.InvalidIdentifier;
                return null;
            }

            error = resource is null ? ResearchRouteError.NotFound : ResearchRouteError.None;
            return resource is null ? null : new ResearchRoute(ResearchRouteKind.DicomWeb, s[1], DicomWeb: resource);
        }

        var shape = s.Length switch
        {
            3 when s[2] == "studies" => ResearchRouteKind.ListStudies,
            4 when s[2] == "studies" => ResearchRouteKind.RetrieveStudy,
            5 when s[2] == "studies" && s[4] == "archive.zip" => ResearchRouteKind.StudyArchive,
            5 when s[2] == "studies" && s[4] == "series" => ResearchRouteKind.ListSeries,
            5 when s[2] == "studies" && s[4] == "instances" => ResearchRouteKind.ListStudyInstances,
            7 when s[2] == "studies" && s[4] == "series" && s[6] == "instances" => ResearchRouteKind.ListInstances,
            8 when s[2] == "studies" && s[4] == "series" && s[6] == "instances" => ResearchRouteKind.RetrieveInstance,
            _ => (ResearchRouteKind?)null,
        };
        if (shape is not { } kind)
        {
            return null;
        }

        var agreement = s[1];
        var study = s.Length >= 4 ? s[3] : null;
        var series = s.Length >= 6 ? s[5] : null;
        var instance = s.Length >= 8 ? s[7] : null;
        if (!DataSharingAgreement.IsValidId(agreement)
            || (study is not null && !DicomUid.IsValid(study))
            || (series is not null && !DicomUid.IsValid(series))
            || (instance is not null && !DicomUid.IsValid(instance)))
        {
            error = ResearchRouteError.InvalidIdentifier;
            return null;
        }

        error = ResearchRouteError.None;
        return new ResearchRoute(kind, agreement, study, series, instance);
    }
}
