using System.Globalization;

namespace CloudArchive.Functions.DicomWeb.Http;

/// <summary>One media range of an <c>Accept</c> header (RFC 9110 12.5.1): type, subtype, parameters and weight.</summary>
/// <param name="Type">Lower-case type, or <c>*</c>.</param>
/// <param name="Subtype">Lower-case subtype, or <c>*</c>.</param>
/// <param name="Parameters">Parameters other than <c>q</c>, names lower-case, values unquoted.</param>
/// <param name="Quality">The <c>q</c> weight (0 to 1; 0 means "not acceptable").</param>
public sealed record MediaRange(string Type, string Subtype, IReadOnlyDictionary<string, string> Parameters, double Quality)
{
    /// <summary><c>type/subtype</c>.</summary>
    public string MediaType => Type + "/" + Subtype;

    /// <summary>
    /// Parses an <c>Accept</c> header value (one or more comma-separated ranges, also across several header lines).
    /// Malformed ranges are skipped, as RFC 9110 lets a server do; an absent or empty header is <c>*/*</c>.
    /// </summary>
    public static IReadOnlyList<MediaRange> ParseAccept(IEnumerable<string?> headerValues)
    {
        ArgumentNullException.ThrowIfNull(headerValues);
        var ranges = new List<MediaRange>();
        var any = false;
        foreach (var header in headerValues)
        {
            foreach (var part in SplitOutsideQuotes(header ?? string.Empty, ','))
            {
                if (part.Trim().Length == 0)
                {
                    continue;
                }

                any = true;
                if (Parse(part) is { } range)
                {
                    ranges.Add(range);
                }
            }
        }

        return any ? ranges : [new MediaRange("*", "*", new Dictionary<string, string>(), 1)];
    }

    /// <summary>Parses one media type or range with parameters, or null when malformed.</summary>
    public static MediaRange? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pieces = SplitOutsideQuotes(text, ';');
        var mediaType = pieces[0].Trim().ToLowerInvariant();
        var slash = mediaType.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == mediaType.Length - 1 || mediaType.Count(c => c == '/') != 1 || mediaType.Any(char.IsWhiteSpace))
        {
            return null;
        }

        var type = mediaType[..slash];
        var subtype = mediaType[(slash + 1)..];
        if (type == "*" && subtype != "*")
        {
            return null;
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var quality = 1.0;
        foreach (var p in pieces.Skip(1))
        {
            var eq = p.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var name = p[..eq].Trim().ToLowerInvariant();
            var value = p[(eq + 1)..].Trim();
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            {
                value = value[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal);
            }

            if (name == "q")
            {
                if (!double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out quality) || quality is < 0 or > 1)
                {
                    return null;
                }
            }
            else
            {
                parameters[name] = value;
            }
        }

        return new MediaRange(type, subtype, parameters, quality);
    }

    private static List<string> SplitOutsideQuotes(string text, char separator)
    {
        var result = new List<string>();
        var quoted = false;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"' && (i == 0 || text[i - 1] != '\\'))
            {
                quoted = !quoted;
            }
            else if (text[i] == separator && !quoted)
            {
                result.Add(text[start..i]);
                start = i + 1;
            }
        }

        result.Add(text[start..]);
        return result;
    }
}
