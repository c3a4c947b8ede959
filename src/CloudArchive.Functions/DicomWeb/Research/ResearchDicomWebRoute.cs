using System.Globalization;
using CloudArchive.Dicom;

namespace CloudArchive.Functions.DicomWeb.Research;

/// <summary>
/// A parsed research DICOMweb path (the part after <c>/dicomweb</c>). Strict like the research API's own routes: every
/// segment is a fixed word or a checked UID, frame list or element path.
/// </summary>
/// <param name="Kind">The resource.</param>
/// <param name="StudyUid">Study Instance UID in the path, if any.</param>
/// <param name="SeriesUid">Series Instance UID in the path, if any.</param>
/// <param name="InstanceUid">SOP Instance UID in the path, if any.</param>
/// <param name="Frames">Frame numbers (1-based) of a frames request.</param>
/// <param name="BulkPath">The element of a bulkdata request.</param>
public sealed record ResearchDicomWebRoute(ResearchDicomWebRouteKind Kind, string? StudyUid = null, string? SeriesUid = null, string? InstanceUid = null, IReadOnlyList<int>? Frames = null, DicomElementPath? BulkPath = null)
{
    /// <summary>Most frames one request may name.</summary>
    public const int MaxFrames = 10_000;

    /// <summary>Parses the path below <c>/dicomweb</c> (e.g. <c>/studies/1.2/metadata</c>); null when it names no resource.</summary>
    /// <param name="path">The path.</param>
    /// <param name="invalid">True when the shape is known but an identifier is malformed (400 rather than 404).</param>
    public static ResearchDicomWebRoute? Parse(string path, out bool invalid)
    {
        ArgumentNullException.ThrowIfNull(path);
        invalid = false;
        var s = path.Trim('/').Length == 0 ? [] : path.TrimStart('/').Split('/');
        if (s.Length == 1)
        {
            return s[0] switch
            {
                "studies" => new(ResearchDicomWebRouteKind.SearchStudies),
                "series" => new(ResearchDicomWebRouteKind.SearchSeries),
                "instances" => new(ResearchDicomWebRouteKind.SearchInstances),
                _ => null,
            };
        }

        if (s.Length < 2 || s[0] != "studies")
        {
            return null;
        }

        string? study = s[1], series = null, instance = null;
        var rest = s.AsSpan(2);
        if (rest.Length >= 2 && rest[0] == "series")
        {
            series = rest[1];
            rest = rest[2..];
            if (rest.Length >= 2 && rest[0] == "instances")
            {
                instance = rest[1];
                rest = rest[2..];
            }
        }

        ResearchDicomWebRoute? route = rest.Length switch
        {
            0 => new(ResearchDicomWebRouteKind.Retrieve),
            1 when rest[0] == "metadata" => new(ResearchDicomWebRouteKind.Metadata),
            1 when rest[0] == "series" && series is null => new(ResearchDicomWebRouteKind.SearchSeries),
            1 when rest[0] == "instances" && instance is null => new(ResearchDicomWebRouteKind.SearchInstances),
            2 when rest[0] == "frames" && instance is not null => ParseFrames(rest[1]),
            >= 2 when rest[0] == "bulkdata" && instance is not null => DicomElementPath.TryParse(string.Join('/', rest[1..].ToArray()), out var p)
                ? new(ResearchDicomWebRouteKind.Bulkdata, BulkPath: p)
                : null,
            _ => null,
        };
        if (route is null)
        {
            // A frames or bulkdata path whose list or element path is malformed is a bad request, not an unknown resource.
            invalid = instance is not null && rest.Length >= 2 && (rest[0] == "frames" || rest[0] == "bulkdata");
            return null;
        }

        if (!DicomUid.IsValid(study) || (series is not null && !DicomUid.IsValid(series)) || (instance is not null && !DicomUid.IsValid(instance)))
        {
            invalid = true;
            return null;
        }

        return route with { StudyUid = study, SeriesUid = series, InstanceUid = instance };
    }

    private static ResearchDicomWebRoute? ParseFrames(string list)
    {
        var frames = new List<int>();
        foreach (var item in list.Split(','))
        {
            if (item.Length is 0 or > 6 || !item.All(char.IsAsciiDigit) || item[0] == '0'
                || !int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || frames.Count >= MaxFrames)
            {
                return null;
            }

            frames.Add(n);
        }

        return new(ResearchDicomWebRouteKind.Frames, Frames: frames);
    }
}
