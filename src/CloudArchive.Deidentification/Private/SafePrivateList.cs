using System.Globalization;
using System.Text.Json;

namespace CloudArchive.Deidentification;

/// <summary>
/// The private attributes the Retain Safe Private Option keeps: the shipped list transcribed from PS3.15 Table E.3.10-1
/// (data/deid/safe-private-attributes.json, which records its edition and source) plus any local entries from a
/// profile. Matching is on (creator, group, offset), never on the raw element number, because a vendor's block can
/// land at any (gggg,00xx) reservation.
/// </summary>
public sealed class SafePrivateList
{
    // The shipped list is parsed on first use, not when settings are created: every profile carries it, but only
    // the Retain Safe Private Option reads it, and a short batch process should not pay for parsing it otherwise.
    private static readonly SafePrivateList Shared = new(new Lazy<SafePrivateList>(LoadEmbedded, LazyThreadSafetyMode.ExecutionAndPublication));
    private readonly Lazy<SafePrivateList>? _deferred;
    private readonly HashSet<SafePrivateEntry> _entries = null!;
    private readonly string _edition = null!;

    /// <summary>Creates a list from explicit entries.</summary>
    public SafePrivateList(IEnumerable<SafePrivateEntry> entries, string edition)
    {
        this._entries = new HashSet<SafePrivateEntry>(entries.Select(e => e with { Creator = NormalizeCreator(e.Creator) }));
        this._edition = edition;
    }

    private SafePrivateList(Lazy<SafePrivateList> deferred)
    {
        this._deferred = deferred;
    }

    /// <summary>The list shipped with this assembly (Table E.3.10-1), parsed on first use.</summary>
    public static SafePrivateList Standard => Shared;

    /// <summary>The edition/provenance label of the list.</summary>
    public string Edition => _deferred?.Value._edition ?? _edition;

    private HashSet<SafePrivateEntry> Set => _deferred?.Value._entries ?? _entries;

    /// <summary>Number of entries.</summary>
    public int Count => Set.Count;

    /// <summary>Every entry.</summary>
    public IReadOnlyCollection<SafePrivateEntry> Entries => Set;

    /// <summary>True when the element at offset <paramref name="offset"/> of <paramref name="creator"/>'s block in
    /// <paramref name="group"/> is safe.</summary>
    public bool Contains(string creator, ushort group, byte offset) =>
        Set.Contains(new SafePrivateEntry(NormalizeCreator(creator), group, offset));

    /// <summary>This list with <paramref name="local"/> added and <paramref name="excluded"/> removed.</summary>
    public SafePrivateList With(IEnumerable<SafePrivateEntry> local, IEnumerable<SafePrivateEntry> excluded)
    {
        var set = new HashSet<SafePrivateEntry>(Set);
        foreach (var e in local)
        {
            set.Add(e with { Creator = NormalizeCreator(e.Creator) });
        }

        foreach (var e in excluded)
        {
            set.Remove(e with { Creator = NormalizeCreator(e.Creator) });
        }

        return new SafePrivateList(set, Edition + " + local");
    }

    /// <summary>Parses the shipped JSON shape (<c>_meta.dicomEdition</c>, <c>entries[] {creator, group, offset}</c>).</summary>
    /// <exception cref="InvalidDataException">Malformed data.</exception>
    public static SafePrivateList Parse(Stream json)
    {
        using var doc = JsonDocument.Parse(json);
        var edition = doc.RootElement.GetProperty("_meta").GetProperty("dicomEdition").GetString() ?? "unknown";
        var list = new List<SafePrivateEntry>();
        foreach (var e in doc.RootElement.GetProperty("entries").EnumerateArray())
        {
            var creator = e.GetProperty("creator").GetString() ?? throw new InvalidDataException("entry without creator");
            var group = ParseGroup(e.GetProperty("group").GetString());
            var offset = ParseOffset(e.GetProperty("offset").GetString());
            if (group is null || offset is null)
            {
                throw new InvalidDataException($"safe private entry for '{creator}' has a bad group or offset");
            }

            list.Add(new SafePrivateEntry(creator, group.Value, offset.Value));
        }

        return new SafePrivateList(list, edition);
    }

    /// <summary>Parses an odd group number written as 4 hexadecimal digits; null when invalid.</summary>
    public static ushort? ParseGroup(string? text) =>
        text is { Length: 4 } && ushort.TryParse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var g) && (g & 1) == 1 && g > 8
            ? g
            : null;

    /// <summary>Parses an element offset written as 2 hexadecimal digits (or <c>xxEE</c>); null when invalid.</summary>
    public static byte? ParseOffset(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var t = text.StartsWith("xx", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        return t.Length == 2 && byte.TryParse(t, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b) ? b : null;
    }

    /// <summary>PS3.5 7.8.1: creator values are compared without trailing padding.</summary>
    internal static string NormalizeCreator(string creator) => creator.TrimEnd(' ', '\0');

    private static SafePrivateList LoadEmbedded()
    {
        const string name = "CloudArchive.Deidentification.safe-private-attributes.json";
        using var s = typeof(SafePrivateList).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidDataException($"embedded resource {name} is missing");
        return Parse(s);
    }
}
