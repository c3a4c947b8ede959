using System.Text.Json;
using CloudArchive.Dicom;

namespace CloudArchive.Deidentification;

/// <summary>
/// Reads and validates a de-identification profile JSON file (schema in docs/deidentification.md). Every problem is
/// reported as a <see cref="DeidConfigurationException"/> naming the JSON path; unknown properties are errors so a
/// typo never silently weakens a profile.
/// </summary>
public static class DeidProfileLoader
{
    private static readonly HashSet<string> RootKeys = ["$schema", "name", "description", "options", "dateShift", "overrides", "safePrivate", "pixel"];
    private static readonly HashSet<string> OverrideKeys = ["tag", "keyword", "vr", "action", "comment"];
    private static readonly HashSet<string> SafePrivateKeys = ["useStandardList", "local", "exclude"];
    private static readonly HashSet<string> SafeEntryKeys = ["creator", "group", "offset", "vr", "vm", "meaning", "comment"];
    private static readonly HashSet<string> PixelKeys = ["refuseWhenBurnedInYes", "refuseWhenAbsentForModalities", "rules"];
    private static readonly HashSet<string> RuleKeys = ["name", "manufacturer", "model", "rows", "columns", "rectangles", "comment"];
    private static readonly HashSet<string> RectKeys = ["x", "y", "width", "height"];
    private static readonly HashSet<string> ShiftKeys = ["minDays", "maxDays"];

    /// <summary>Reads a profile file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="extraOptions">Options added on top of the profile's (e.g. from the command line).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="DeidConfigurationException">Unreadable or invalid profile.</exception>
    public static async Task<DeidSettings> LoadAsync(string path, IEnumerable<DeidOption> extraOptions, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DeidConfigurationException("profile", $"cannot read the profile file: {e.GetType().Name}");
        }

        return Parse(text, extraOptions);
    }

    /// <summary>Parses and validates a profile.</summary>
    /// <exception cref="DeidConfigurationException">Invalid profile.</exception>
    public static DeidSettings Parse(string json, IEnumerable<DeidOption>? extraOptions = null)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new DeidConfigurationException("$", $"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine})");
        }

        using (doc)
        {
            var root = doc.RootElement;
            RequireObject(root, "$");
            CheckKeys(root, "$", RootKeys);
            var name = root.TryGetProperty("name", out var n) ? RequireString(n, "$.name") : throw new DeidConfigurationException("$.name", "is required");
            if (name.Length == 0 || name.Length > 64)
            {
                throw new DeidConfigurationException("$.name", "must be 1 to 64 characters");
            }

            var options = new HashSet<DeidOption>(extraOptions ?? []);
            if (root.TryGetProperty("options", out var opts))
            {
                RequireArray(opts, "$.options");
                var i = 0;
                foreach (var o in opts.EnumerateArray())
                {
                    var p = $"$.options[{i++}]";
                    var s = RequireString(o, p);
                    if (!DeidOptionInfo.TryParse(s, out var opt))
                    {
                        throw new DeidConfigurationException(p, $"unknown option '{s}'; expected one of {string.Join(", ", DeidOptionInfo.All.Select(DeidOptionInfo.Key))}");
                    }

                    options.Add(opt);
                }
            }

            var min = DeidSettings.DefaultMinShiftDays;
            var max = DeidSettings.DefaultMaxShiftDays;
            if (root.TryGetProperty("dateShift", out var shift))
            {
                RequireObject(shift, "$.dateShift");
                CheckKeys(shift, "$.dateShift", ShiftKeys);
                min = shift.TryGetProperty("minDays", out var a) ? RequireInt(a, "$.dateShift.minDays") : min;
                max = shift.TryGetProperty("maxDays", out var b) ? RequireInt(b, "$.dateShift.maxDays") : max;
            }

            var overrides = root.TryGetProperty("overrides", out var ov) ? ParseOverrides(ov) : [];
            var safe = root.TryGetProperty("safePrivate", out var sp) ? ParseSafePrivate(sp) : SafePrivateList.Standard;
            var pixel = root.TryGetProperty("pixel", out var px) ? ParsePixel(px) : PixelPolicy.Default;
            return DeidSettings.Create(name, options, min, max, overrides, safe, pixel);
        }
    }

    /// <summary>Parses a comma-separated option list such as <c>retainUIDs,cleanDescriptors</c>.</summary>
    /// <exception cref="DeidConfigurationException">An unknown option.</exception>
    public static IReadOnlyList<DeidOption> ParseOptionList(string? list)
    {
        if (string.IsNullOrWhiteSpace(list))
        {
            return [];
        }

        var result = new List<DeidOption>();
        foreach (var part in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!DeidOptionInfo.TryParse(part, out var o))
            {
                throw new DeidConfigurationException("options", $"unknown option '{part}'; expected one of {string.Join(", ", DeidOptionInfo.All.Select(DeidOptionInfo.Key))}");
            }

            result.Add(o);
        }

        return result;
    }

    private static List<AttributeOverride> ParseOverrides(JsonElement ov)
    {
        RequireArray(ov, "$.overrides");
        var list = new List<AttributeOverride>();
        var i = 0;
        foreach (var o in ov.EnumerateArray())
        {
            var p = $"$.overrides[{i++}]";
            RequireObject(o, p);
            CheckKeys(o, p, OverrideKeys);
            var code = o.TryGetProperty("action", out var a) ? RequireString(a, p + ".action") : throw new DeidConfigurationException(p + ".action", "is required");
            if (!ActionResolver.IsKnownCode(code))
            {
                throw new DeidConfigurationException(p + ".action", $"unknown action '{code}'; expected one of {string.Join(", ", ActionResolver.KnownCodes)}");
            }

            var selectors = new[] { "tag", "keyword", "vr" }.Count(k => o.TryGetProperty(k, out _));
            if (selectors != 1)
            {
                throw new DeidConfigurationException(p, "exactly one of 'tag', 'keyword' or 'vr' is required");
            }

            if (o.TryGetProperty("tag", out var t))
            {
                var s = RequireString(t, p + ".tag");
                if (!DicomTag.TryParse(s, out var tag))
                {
                    throw new DeidConfigurationException(p + ".tag", "is not a tag; write (gggg,eeee)");
                }

                if (tag.IsPrivate)
                {
                    throw new DeidConfigurationException(p + ".tag", "private attributes are selected by the safe private list (creator, group, offset), not by tag");
                }

                list.Add(new AttributeOverride(tag, code, "tag " + tag));
            }
            else if (o.TryGetProperty("keyword", out var k))
            {
                var s = RequireString(k, p + ".keyword");
                var entry = DicomDictionary.Lookup(s);
                if (entry is null || entry.IsRepeating)
                {
                    throw new DeidConfigurationException(p + ".keyword", $"'{s}' is not a keyword of the data dictionary (keywords are case-sensitive)");
                }

                list.Add(new AttributeOverride(entry.Tag, code, "keyword " + s));
            }
            else
            {
                var s = RequireString(o.GetProperty("vr"), p + ".vr");
                var vr = ParseVR(s) ?? throw new DeidConfigurationException(p + ".vr", $"'{s}' is not a VR");
                if (vr == DicomVR.SQ && code is "D")
                {
                    throw new DeidConfigurationException(p + ".action", "D has no meaning for every sequence");
                }

                list.Add(new AttributeOverride(vr, code));
            }
        }

        return list;
    }

    private static SafePrivateList ParseSafePrivate(JsonElement sp)
    {
        RequireObject(sp, "$.safePrivate");
        CheckKeys(sp, "$.safePrivate", SafePrivateKeys);
        var useStandard = !sp.TryGetProperty("useStandardList", out var u) || RequireBool(u, "$.safePrivate.useStandardList");
        var local = sp.TryGetProperty("local", out var l) ? ParseSafeEntries(l, "$.safePrivate.local") : [];
        var exclude = sp.TryGetProperty("exclude", out var x) ? ParseSafeEntries(x, "$.safePrivate.exclude") : [];
        var baseList = useStandard ? SafePrivateList.Standard : new SafePrivateList([], "none");
        return local.Count == 0 && exclude.Count == 0 ? baseList : baseList.With(local, exclude);
    }

    private static List<SafePrivateEntry> ParseSafeEntries(JsonElement arr, string path)
    {
        RequireArray(arr, path);
        var list = new List<SafePrivateEntry>();
        var i = 0;
        foreach (var e in arr.EnumerateArray())
        {
            var p = $"{path}[{i++}]";
            RequireObject(e, p);
            CheckKeys(e, p, SafeEntryKeys);
            var creator = e.TryGetProperty("creator", out var c) ? RequireString(c, p + ".creator") : throw new DeidConfigurationException(p + ".creator", "is required");
            if (creator.Trim().Length == 0 || creator.Length > 64)
            {
                throw new DeidConfigurationException(p + ".creator", "must be 1 to 64 characters");
            }

            var groupText = e.TryGetProperty("group", out var g) ? RequireString(g, p + ".group") : throw new DeidConfigurationException(p + ".group", "is required");
            var group = SafePrivateList.ParseGroup(groupText) ?? throw new DeidConfigurationException(p + ".group", "must be an odd group above 0008 as 4 hex digits, e.g. \"0019\"");
            var offsetText = e.TryGetProperty("offset", out var o) ? RequireString(o, p + ".offset") : throw new DeidConfigurationException(p + ".offset", "is required");
            var offset = SafePrivateList.ParseOffset(offsetText) ?? throw new DeidConfigurationException(p + ".offset", "must be the element byte within the block as 2 hex digits, e.g. \"23\" for (0019,xx23)");
            list.Add(new SafePrivateEntry(creator, group, offset));
        }

        return list;
    }

    private static PixelPolicy ParsePixel(JsonElement px)
    {
        RequireObject(px, "$.pixel");
        CheckKeys(px, "$.pixel", PixelKeys);
        var refuseYes = !px.TryGetProperty("refuseWhenBurnedInYes", out var y) || RequireBool(y, "$.pixel.refuseWhenBurnedInYes");
        IReadOnlyCollection<string> modalities = PixelPolicy.DefaultSuspectModalities;
        if (px.TryGetProperty("refuseWhenAbsentForModalities", out var m))
        {
            RequireArray(m, "$.pixel.refuseWhenAbsentForModalities");
            var list = new List<string>();
            var i = 0;
            foreach (var e in m.EnumerateArray())
            {
                var p = $"$.pixel.refuseWhenAbsentForModalities[{i++}]";
                var s = RequireString(e, p);
                if (s.Length is 0 or > 16 || !s.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_'))
                {
                    throw new DeidConfigurationException(p, "must be a modality code (CS: upper-case letters, digits, underscore)");
                }

                list.Add(s);
            }

            modalities = list;
        }

        var rules = new List<PixelRule>();
        if (px.TryGetProperty("rules", out var r))
        {
            RequireArray(r, "$.pixel.rules");
            var i = 0;
            foreach (var e in r.EnumerateArray())
            {
                rules.Add(ParseRule(e, $"$.pixel.rules[{i++}]"));
            }
        }

        return new PixelPolicy(refuseYes, modalities, rules);
    }

    private static PixelRule ParseRule(JsonElement e, string p)
    {
        RequireObject(e, p);
        CheckKeys(e, p, RuleKeys);
        var name = e.TryGetProperty("name", out var n) ? RequireString(n, p + ".name") : throw new DeidConfigurationException(p + ".name", "is required");
        var manufacturer = e.TryGetProperty("manufacturer", out var mf) ? RequireString(mf, p + ".manufacturer") : throw new DeidConfigurationException(p + ".manufacturer", "is required");
        if (manufacturer.Trim().Length == 0)
        {
            throw new DeidConfigurationException(p + ".manufacturer", "must not be empty");
        }

        var model = e.TryGetProperty("model", out var md) ? RequireString(md, p + ".model") : null;
        int? rows = e.TryGetProperty("rows", out var rw) ? RequireInt(rw, p + ".rows") : null;
        int? cols = e.TryGetProperty("columns", out var cl) ? RequireInt(cl, p + ".columns") : null;
        if (rows is <= 0 or > 65535 || cols is <= 0 or > 65535)
        {
            throw new DeidConfigurationException(p, "rows and columns must be 1 to 65535");
        }

        if (!e.TryGetProperty("rectangles", out var rects))
        {
            throw new DeidConfigurationException(p + ".rectangles", "is required");
        }

        RequireArray(rects, p + ".rectangles");
        var list = new List<PixelRectangle>();
        var i = 0;
        foreach (var re in rects.EnumerateArray())
        {
            var rp = $"{p}.rectangles[{i++}]";
            RequireObject(re, rp);
            CheckKeys(re, rp, RectKeys);
            int Get(string k) => re.TryGetProperty(k, out var v) ? RequireInt(v, rp + "." + k) : throw new DeidConfigurationException(rp + "." + k, "is required");
            var rect = new PixelRectangle(Get("x"), Get("y"), Get("width"), Get("height"));
            if (rect.X < 0 || rect.Y < 0 || rect.Width <= 0 || rect.Height <= 0)
            {
                throw new DeidConfigurationException(rp, "x and y must be >= 0, width and height > 0");
            }

            if ((cols is { } c && rect.X + rect.Width > c) || (rows is { } rr && rect.Y + rect.Height > rr))
            {
                throw new DeidConfigurationException(rp, "lies outside the rule's rows/columns");
            }

            list.Add(rect);
        }

        if (list.Count == 0)
        {
            throw new DeidConfigurationException(p + ".rectangles", "must list at least one rectangle");
        }

        return new PixelRule(name, manufacturer, model, rows, cols, list);
    }

    private static DicomVR? ParseVR(string s) => s switch
    {
        "AE" => DicomVR.AE, "AS" => DicomVR.AS, "AT" => DicomVR.AT, "CS" => DicomVR.CS, "DA" => DicomVR.DA, "DS" => DicomVR.DS,
        "DT" => DicomVR.DT, "FD" => DicomVR.FD, "FL" => DicomVR.FL, "IS" => DicomVR.IS, "LO" => DicomVR.LO, "LT" => DicomVR.LT,
        "OB" => DicomVR.OB, "OD" => DicomVR.OD, "OF" => DicomVR.OF, "OL" => DicomVR.OL, "OV" => DicomVR.OV, "OW" => DicomVR.OW,
        "PN" => DicomVR.PN, "SH" => DicomVR.SH, "SL" => DicomVR.SL, "SQ" => DicomVR.SQ, "SS" => DicomVR.SS, "ST" => DicomVR.ST,
        "SV" => DicomVR.SV, "TM" => DicomVR.TM, "UC" => DicomVR.UC, "UI" => DicomVR.UI, "UL" => DicomVR.UL, "UN" => DicomVR.UN,
        "UR" => DicomVR.UR, "US" => DicomVR.US, "UT" => DicomVR.UT, "UV" => DicomVR.UV,
        _ => null,
    };

    private static void CheckKeys(JsonElement o, string path, HashSet<string> allowed)
    {
        foreach (var p in o.EnumerateObject())
        {
            if (!allowed.Contains(p.Name))
            {
                throw new DeidConfigurationException($"{path}.{p.Name}", $"unknown property; allowed: {string.Join(", ", allowed.Where(a => a != "$schema"))}");
            }
        }
    }

    private static void RequireObject(JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new DeidConfigurationException(path, "must be an object");
        }
    }

    private static void RequireArray(JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.Array)
        {
            throw new DeidConfigurationException(path, "must be an array");
        }
    }

    private static string RequireString(JsonElement e, string path) =>
        e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new DeidConfigurationException(path, "must be a string");

    private static bool RequireBool(JsonElement e, string path) =>
        e.ValueKind is JsonValueKind.True or JsonValueKind.False ? e.GetBoolean() : throw new DeidConfigurationException(path, "must be true or false");

    private static int RequireInt(JsonElement e, string path) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var v) ? v : throw new DeidConfigurationException(path, "must be an integer");
}
