using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using CloudArchive.Dicom;

namespace CloudArchive.Deidentification;

/// <summary>
/// PS3.15 Table E.1-1, parsed at start-up from the embedded <c>confidentiality_profile.json</c> (generated from the
/// standard; see data/dicom/SOURCE.md). Nothing here is hand-typed: every row, code and option column comes from the data.
/// </summary>
public sealed class ConfidentialityProfileTable
{
    private static readonly Lazy<ConfidentialityProfileTable> Shared = new(LoadEmbedded);
    private readonly Dictionary<uint, ProfileRow> _exact;
    private readonly ProfileRow[] _masked;

    private ConfidentialityProfileTable(string edition, IReadOnlyList<ProfileRow> rows)
    {
        Edition = edition;
        Rows = rows;
        _exact = new Dictionary<uint, ProfileRow>();
        var maskedRows = new List<ProfileRow>();
        foreach (var row in rows)
        {
            if (row.IsPrivateAttributesRow)
            {
                PrivateAttributesRow = row;
            }
            else if (row.IsRepeating)
            {
                maskedRows.Add(row);
            }
            else
            {
                _exact[row.MaskedValue!.Value] = row;
            }
        }

        _masked = maskedRows.ToArray();
        if (PrivateAttributesRow is null)
        {
            throw new InvalidDataException("Table E.1-1 data has no private-attributes row.");
        }
    }

    /// <summary>The table as shipped with this assembly.</summary>
    public static ConfidentialityProfileTable Standard => Shared.Value;

    /// <summary>The DICOM edition of the table (e.g. <c>2024b</c>).</summary>
    public string Edition { get; }

    /// <summary>Every row, in the order of the data file.</summary>
    public IReadOnlyList<ProfileRow> Rows { get; }

    /// <summary>The row "(gggg,eeee) where gggg is odd".</summary>
    public ProfileRow PrivateAttributesRow { get; } = null!;

    /// <summary>Finds the row addressing a standard (even-group) tag: exact rows first, then repeating groups.</summary>
    public ProfileRow? Find(DicomTag tag)
    {
        if (_exact.TryGetValue(tag.Value, out var row))
        {
            return row;
        }

        foreach (var m in _masked)
        {
            if (m.Matches(tag))
            {
                return m;
            }
        }

        return null;
    }

    /// <summary>Parses a table in the <c>confidentiality_profile.json</c> shape.</summary>
    /// <exception cref="InvalidDataException">The data does not have the documented shape.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per process: no tier-0 pass over 621 rows
    public static ConfidentialityProfileTable Parse(Stream json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var edition = root.GetProperty("_meta").GetProperty("dicomEdition").GetString() ?? "unknown";
        var rows = new List<ProfileRow>();
        foreach (var a in root.GetProperty("attributes").EnumerateArray())
        {
            rows.Add(ParseRow(a));
        }

        return new ConfidentialityProfileTable(edition, rows);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ProfileRow ParseRow(JsonElement a)
    {
        var rawTag = a.GetProperty("rawTag").GetString() ?? throw new InvalidDataException("row without rawTag");
        var name = a.GetProperty("name").GetString() ?? string.Empty;
        string? keyword = a.TryGetProperty("keyword", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
        string? vr = a.TryGetProperty("vr", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var basic = a.GetProperty("basicProfile").GetString() ?? throw new InvalidDataException($"row {rawTag} has no basic action");
        if (!ActionResolver.IsKnownCode(basic))
        {
            throw new InvalidDataException($"row {rawTag} has an unknown action code '{basic}'");
        }

        var options = new Dictionary<DeidOption, string>();
        if (a.TryGetProperty("options", out var opts) && opts.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in opts.EnumerateObject())
            {
                if (!DeidOptionInfo.TryParse(p.Name, out var option))
                {
                    throw new InvalidDataException($"row {rawTag} has an unknown option column '{p.Name}'");
                }

                var code = p.Value.GetString() ?? string.Empty;
                if (!ActionResolver.IsKnownCode(code))
                {
                    throw new InvalidDataException($"row {rawTag} option {p.Name} has an unknown code '{code}'");
                }

                options[option] = code;
            }
        }

        var isPrivate = a.TryGetProperty("special", out var sp) && sp.GetString() == "privateAttributes";
        uint? mask = null;
        uint? maskedValue = null;
        if (!isPrivate)
        {
            var tag = a.GetProperty("tag").GetString() ?? throw new InvalidDataException($"row {rawTag} has no tag");
            if (a.TryGetProperty("mask", out var m) && m.ValueKind == JsonValueKind.String)
            {
                mask = uint.Parse(m.GetString()!, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                maskedValue = uint.Parse(a.GetProperty("maskedValue").GetString()!, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }
            else
            {
                mask = uint.MaxValue;
                maskedValue = DicomTag.Parse(tag).Value;
            }
        }

        return new ProfileRow(rawTag, name, keyword, vr, mask, maskedValue, isPrivate, basic, options);
    }

    private static ConfidentialityProfileTable LoadEmbedded()
    {
        const string name = "CloudArchive.Deidentification.confidentiality_profile.json";
        using var s = typeof(ConfidentialityProfileTable).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidDataException($"embedded resource {name} is missing");
        return Parse(s);
    }
}
