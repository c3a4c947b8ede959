using Microsoft.Extensions.Primitives;

namespace CloudArchive.Functions.DicomWeb.Clinical;

/// <summary>
/// <c>Accept</c> negotiation of the clinical root. The archive never transcodes: it serves instances, frames and bulk
/// data as stored, so a media range fits when its type (and, for <c>multipart/related</c>, its <c>type</c> parameter)
/// covers the stored media type and its <c>transfer-syntax</c> parameter is absent, <c>*</c> or the stored one.
/// </summary>
internal static class ClinicalAccept
{
    /// <summary>Whether instances may be answered (<c>multipart/related; type="application/dicom"</c>).</summary>
    public static bool AllowsDicom(StringValues accept) => Allows(accept, "application/dicom", null, false);

    /// <summary>Whether metadata or a query may be answered in <c>application/dicom+json</c>.</summary>
    public static bool AllowsDicomJson(StringValues accept) =>
        Ranges(accept).Select(r => r.Type).DefaultIfEmpty("*/*").Any(t => t is "*/*" or "application/*" or "application/dicom+json" or "application/json");

    /// <summary>Whether parts of <paramref name="mediaType"/> in <paramref name="transferSyntax"/> may be answered.</summary>
    public static bool AllowsParts(StringValues accept, string mediaType, string transferSyntax) => Allows(accept, mediaType, transferSyntax, true);

    private static bool Allows(StringValues accept, string partType, string? transferSyntax, bool bareType)
    {
        var ranges = Ranges(accept).ToList();
        if (ranges.Count == 0)
        {
            return true;
        }

        foreach (var (type, parameters) in ranges)
        {
            var ts = parameters.GetValueOrDefault("transfer-syntax");
            var tsFits = ts is null or "*" || ts == transferSyntax;
            var typeParameter = parameters.GetValueOrDefault("type");
            var multipart = type is "multipart/related" or "multipart/*" && (typeParameter is null or "*/*" || typeParameter == partType);
            if (type == "*/*" || ((multipart || (bareType && type == partType)) && tsFits))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<(string Type, Dictionary<string, string> Parameters)> Ranges(StringValues accept)
    {
        foreach (var header in accept)
        {
            foreach (var range in (header ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var parts = range.Split(';', StringSplitOptions.TrimEntries);
                var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var p in parts.Skip(1))
                {
                    var eq = p.IndexOf('=', StringComparison.Ordinal);
                    if (eq > 0)
                    {
                        parameters[p[..eq].Trim()] = p[(eq + 1)..].Trim().Trim('"');
                    }
                }

                if (parameters.TryGetValue("q", out var q) && q is "0" or "0.0" or "0.00" or "0.000")
                {
                    continue;
                }

                yield return (parts[0].ToLowerInvariant(), parameters);
            }
        }
    }
}
