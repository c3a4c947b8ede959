using System.Globalization;
using CloudArchive.Dicom;

namespace CloudArchive.Core.DicomWeb.Query;

/// <summary>
/// Parses QIDO-RS query parameters (PS3.18 8.3.4) into a <see cref="QidoQuery"/>, or throws
/// <see cref="QidoQueryException"/> (answered 400) — nothing a client sends is ignored silently:
/// <list type="bullet">
/// <item>an attribute is named by keyword (<c>PatientID</c>), tag (<c>00100020</c>) or, inside a sequence,
/// <c>Sequence.Attribute</c>; one that is not a matching key of the level or a level above (PS3.18 Table 10.6.1-5)
/// is refused with the list of supported keys, as is one named twice;</item>
/// <item>values are checked against the VR: UIDs, DA/TM ranges, integers; <c>*</c>/<c>?</c> are wildcards for
/// text VRs only; <c>\</c> or <c>,</c> separate a list for UI and CS;</item>
/// <item><c>includefield</c> (repeatable, comma-separated keywords or tags, or <c>all</c>), <c>limit</c>,
/// <c>offset</c>, <c>fuzzymatching</c> (<c>true</c>/<c>false</c>; true is accepted and answered with literal
/// matching and a Warning, per PS3.18 8.3.4.2); any other parameter is refused.</item>
/// </list>
/// </summary>
public static class QidoQueryParser
{
    /// <summary>Parses the parameters of a search at <paramref name="level"/> scoped by the path's UIDs.</summary>
    /// <exception cref="QidoQueryException">The query is not accepted; the message says why.</exception>
    public static QidoQuery Parse(QidoLevel level, string? studyUid, string? seriesUid, IEnumerable<KeyValuePair<string, string>> parameters, QidoQueryLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        limits ??= new QidoQueryLimits();
        var conditions = new List<QidoCondition>();
        var includes = new List<QidoAttribute>();
        var includeAll = false;
        int? limit = null, offset = null;
        bool? fuzzy = null;
        var count = 0;
        foreach (var (name, rawValue) in parameters)
        {
            if (++count > limits.MaxParameters)
            {
                throw new QidoQueryException($"At most {limits.MaxParameters} query parameters are accepted.");
            }

            var value = rawValue ?? string.Empty;
            switch (name)
            {
                case "limit":
                    limit = Once(limit, name, ParseCount(name, value, int.MaxValue));
                    continue;
                case "offset":
                    offset = Once(offset, name, ParseCount(name, value, limits.MaxOffset));
                    continue;
                case "fuzzymatching":
                    fuzzy = Once(fuzzy, name, value switch
                    {
                        "true" => true,
                        "false" => false,
                        _ => throw new QidoQueryException("fuzzymatching must be true or false."),
                    });
                    continue;
                case "includefield":
                    foreach (var field in value.Split(','))
                    {
                        if (field == "all")
                        {
                            includeAll = true;
                        }
                        else if (ResolveName(field) is { Sequence: null } resolved)
                        {
                            includes.Add(QidoAttributes.ForTag(resolved.Tag, level));
                        }
                        else
                        {
                            throw new QidoQueryException($"includefield {Describe(field)} is not a DICOM attribute keyword or tag (or all).");
                        }
                    }

                    continue;
            }

            if (ResolveName(name) is not { } key)
            {
                throw new QidoQueryException($"The query parameter {Describe(name)} is neither a DICOM attribute keyword or tag nor one of includefield, limit, offset, fuzzymatching.");
            }

            var attribute = QidoAttributes.FindMatchingKey(level, key.Tag, key.Sequence)
                ?? throw new QidoQueryException($"{Describe(name)} is not a matching key at the {Name(level)} level; supported: {string.Join(", ", SupportedKeys(level))}.");
            if (conditions.Any(c => c.Attribute == attribute))
            {
                throw new QidoQueryException($"{attribute.Name} is given more than once.");
            }

            conditions.Add(ParseCondition(attribute, value));
        }

        var requested = limit ?? limits.MaxResults;
        return new QidoQuery
        {
            Level = level,
            StudyInstanceUid = studyUid,
            SeriesInstanceUid = seriesUid,
            Conditions = conditions,
            IncludeFields = includes,
            IncludeAll = includeAll,
            Offset = offset ?? 0,
            Limit = Math.Min(requested, limits.MaxResults),
            LimitCapped = requested > limits.MaxResults,
            FuzzyMatchingRequested = fuzzy == true,
        };
    }

    /// <summary>The keys accepted at <paramref name="level"/> (its own and those of the levels above).</summary>
    public static IReadOnlyList<string> SupportedKeys(QidoLevel level) =>
        Enumerable.Range(0, (int)level + 1).SelectMany(l => QidoAttributes.MatchingKeys((QidoLevel)l)).Select(a => a.Name).ToList();

    private static QidoCondition ParseCondition(QidoAttribute attribute, string value)
    {
        var vr = attribute.VR;
        if (value.Length == 0)
        {
            return new QidoCondition(attribute, QidoMatchKind.Universal, []);
        }

        if (value.Length > 1024)
        {
            throw new QidoQueryException($"The value of {attribute.Name} is too long.");
        }

        if (vr == DicomVR.UI || vr == DicomVR.CS)
        {
            var items = value.Split('\\', ',');
            if (vr == DicomVR.UI && items.Any(u => !IsUid(u)))
            {
                throw new QidoQueryException($"{attribute.Name} takes UIDs (digits and dots, no wildcards), separated by \\ or a comma.");
            }

            if (items.Length > 1)
            {
                if (items.Any(i => i.Length == 0 || i.Contains('*', StringComparison.Ordinal) || i.Contains('?', StringComparison.Ordinal)))
                {
                    throw new QidoQueryException($"A list for {attribute.Name} takes non-empty values without wildcards.");
                }

                return new QidoCondition(attribute, QidoMatchKind.List, items);
            }
        }

        if (vr == DicomVR.DA || vr == DicomVR.TM || vr == DicomVR.DT)
        {
            var dash = vr == DicomVR.DT ? -1 : value.IndexOf('-', StringComparison.Ordinal);
            if (dash >= 0)
            {
                var low = value[..dash];
                var high = value[(dash + 1)..];
                if ((low.Length == 0 && high.Length == 0) || (low.Length > 0 && QidoTemporal.Normalize(vr, low, false) is null)
                    || (high.Length > 0 && QidoTemporal.Normalize(vr, high, true) is null))
                {
                    throw new QidoQueryException($"{attribute.Name} takes a {vr.Code} value or range (a-b, a-, -b).");
                }

                return new QidoCondition(attribute, QidoMatchKind.Range, [low, high]);
            }

            if (QidoTemporal.Normalize(vr, value, false) is null)
            {
                throw new QidoQueryException($"{attribute.Name} takes a {vr.Code} value or range (a-b, a-, -b).");
            }

            return new QidoCondition(attribute, QidoMatchKind.SingleValue, [value]);
        }

        if (vr == DicomVR.IS)
        {
            if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            {
                throw new QidoQueryException($"{attribute.Name} takes an integer.");
            }

            return new QidoCondition(attribute, QidoMatchKind.SingleValue, [number.ToString(CultureInfo.InvariantCulture)]);
        }

        if (value.Contains('\\', StringComparison.Ordinal))
        {
            throw new QidoQueryException($"{attribute.Name} takes one value (lists are for UI and CS attributes).");
        }

        var wildcard = vr != DicomVR.UI && (value.Contains('*', StringComparison.Ordinal) || value.Contains('?', StringComparison.Ordinal));
        return new QidoCondition(attribute, wildcard ? QidoMatchKind.Wildcard : QidoMatchKind.SingleValue, [value]);
    }

    private static (DicomTag Tag, DicomTag? Sequence)? ResolveName(string name)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            return ResolveOne(name[..dot]) is { } sq && ResolveOne(name[(dot + 1)..]) is { } inner ? (inner, sq) : null;
        }

        return ResolveOne(name) is { } tag ? (tag, null) : null;
    }

    private static DicomTag? ResolveOne(string name)
    {
        if (name.Length == 8 && name.All(char.IsAsciiHexDigit))
        {
            var tag = new DicomTag(uint.Parse(name, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            return tag.IsGroupLength || tag.IsItemOrDelimiter ? null : tag;
        }

        return name.Length is > 0 and <= 64 && DicomDictionary.Lookup(name) is { IsRepeating: false } entry
            ? entry.Tag
            : null;
    }

    private static int ParseCount(string name, string value, int max)
    {
        if (value.Length is 0 or > 10 || !value.All(char.IsAsciiDigit) || !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > max)
        {
            throw new QidoQueryException($"{name} takes a whole number from 0 to {max}.");
        }

        return n;
    }

    private static T Once<T>(T? previous, string name, T value)
        where T : struct =>
        previous is null ? value : throw new QidoQueryException($"{name} is given more than once.");

    private static bool IsUid(string s) =>
        s.Length is > 0 and <= 64 && s.All(c => char.IsAsciiDigit(c) || c == '.') && !s.StartsWith('.') && !s.EndsWith('.') && !s.Contains("..", StringComparison.Ordinal);

    // Names are echoed only when they are short plain identifiers: a reason must never carry an arbitrary client string.
    private static string Describe(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '.') ? "'" + name + "'" : "(an unprintable name)";

    private static string Name(QidoLevel level) => level.ToString().ToLowerInvariant();
}
