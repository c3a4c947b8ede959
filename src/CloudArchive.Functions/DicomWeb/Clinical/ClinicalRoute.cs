using CloudArchive.Dicom;

namespace CloudArchive.Functions.DicomWeb.Clinical;

/// <summary>
/// A parsed clinical DICOMweb path (relative to <c>/api/dicomweb/</c>). UIDs are checked for their PS3.5 shape; frame
/// lists are 1-based positive numbers; a bulk data path is a <see cref="DicomElementPath"/> (tags and item indexes separated by <c>/</c>).
/// </summary>
public sealed record ClinicalRoute
{
    /// <summary>The path prefix the route is relative to.</summary>
    public const string BasePath = "/api/dicomweb/";

    /// <summary>The resource.</summary>
    public required ClinicalRouteKind Kind { get; init; }

    /// <summary>The level a search or metadata request is made at (study, series, instance).</summary>
    public ClinicalLevel Level { get; init; }

    /// <summary>StudyInstanceUID from the path.</summary>
    public string? StudyUid { get; init; }

    /// <summary>SeriesInstanceUID from the path.</summary>
    public string? SeriesUid { get; init; }

    /// <summary>SOPInstanceUID from the path.</summary>
    public string? InstanceUid { get; init; }

    /// <summary>The requested frame numbers (1-based), for <see cref="ClinicalRouteKind.Frames"/>.</summary>
    public IReadOnlyList<int> Frames { get; init; } = [];

    /// <summary>The element whose value is asked for, for <see cref="ClinicalRouteKind.BulkData"/>.</summary>
    public DicomElementPath? BulkDataPath { get; init; }

    /// <summary>Parses a relative path; null when it names no resource (<paramref name="invalid"/> says whether an identifier was malformed).</summary>
    public static ClinicalRoute? Parse(string relative, out bool invalid)
    {
        ArgumentNullException.ThrowIfNull(relative);
        invalid = false;
        var s = relative.Trim('/').Split('/');
        if (s.Length == 0 || s[0].Length == 0)
        {
            return null;
        }

        switch (s)
        {
            case ["studies"]:
                return new() { Kind = ClinicalRouteKind.SearchStudies, Level = ClinicalLevel.Study };
            case ["series"]:
                return new() { Kind = ClinicalRouteKind.SearchSeries, Level = ClinicalLevel.Series };
            case ["instances"]:
                return new() { Kind = ClinicalRouteKind.SearchInstances, Level = ClinicalLevel.Instance };
            case ["studies", _, ..]:
                break;
            default:
                return null;
        }

        if (!Uid(s[1], ref invalid))
        {
            return null;
        }

        var study = s[1];
        switch (s.Length)
        {
            case 2:
                return new() { Kind = ClinicalRouteKind.RetrieveStudy, Level = ClinicalLevel.Study, StudyUid = study };
            case 3:
                return s[2] switch
                {
                    "metadata" => new() { Kind = ClinicalRouteKind.Metadata, Level = ClinicalLevel.Study, StudyUid = study },
                    "series" => new() { Kind = ClinicalRouteKind.SearchSeries, Level = ClinicalLevel.Series, StudyUid = study },
                    "instances" => new() { Kind = ClinicalRouteKind.SearchInstances, Level = ClinicalLevel.Instance, StudyUid = study },
                    _ => null,
                };
        }

        if (s[2] != "series" || !Uid(s[3], ref invalid))
        {
            return null;
        }

        var series = s[3];
        switch (s.Length)
        {
            case 4:
                return new() { Kind = ClinicalRouteKind.RetrieveSeries, Level = ClinicalLevel.Series, StudyUid = study, SeriesUid = series };
            case 5:
                return s[4] switch
                {
                    "metadata" => new() { Kind = ClinicalRouteKind.Metadata, Level = ClinicalLevel.Series, StudyUid = study, SeriesUid = series },
                    "instances" => new() { Kind = ClinicalRouteKind.SearchInstances, Level = ClinicalLevel.Instance, StudyUid = study, SeriesUid = series },
                    _ => null,
                };
        }

        if (s[4] != "instances" || !Uid(s[5], ref invalid))
        {
            return null;
        }

        var instance = s[5];
        var baseRoute = new ClinicalRoute { Kind = ClinicalRouteKind.RetrieveInstance, Level = ClinicalLevel.Instance, StudyUid = study, SeriesUid = series, InstanceUid = instance };
        return s.Length switch
        {
            6 => baseRoute,
            7 when s[6] == "metadata" => baseRoute with { Kind = ClinicalRouteKind.Metadata },
            8 when s[6] == "frames" => FrameList(s[7], ref invalid) is { } frames ? baseRoute with { Kind = ClinicalRouteKind.Frames, Frames = frames } : null,
            >= 8 when s[6] == "bulkdata" => BulkPath(s[7..], ref invalid) is { } bulk ? baseRoute with { Kind = ClinicalRouteKind.BulkData, BulkDataPath = bulk } : null,
            _ => null,
        };
    }

    private static bool Uid(string value, ref bool invalid)
    {
        if (DicomUid.IsValid(value))
        {
            return true;
        }

        invalid = true;
        return false;
    }

    private static List<int>? FrameList(string text, ref bool invalid)
    {
        var frames = new List<int>();
        foreach (var part in text.Split(','))
        {
            if (!int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n < 1)
            {
                invalid = true;
                return null;
            }

            frames.Add(n);
        }

        if (frames.Count > 1000)
        {
            invalid = true;
            return null;
        }

        return frames;
    }

    private static DicomElementPath? BulkPath(string[] segments, ref bool invalid)
    {
        if (DicomElementPath.TryParse(string.Join('/', segments), out var path))
        {
            return path;
        }

        invalid = true;
        return null;
    }
}
