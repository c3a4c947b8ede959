using System.Globalization;
using System.Text.Json;

namespace CloudArchive.Dicom;

/// <summary>
/// The PS3.6 data dictionary, loaded once (lazily, thread-safe) from the embedded <c>dicom_dictionary.json</c>
/// (generated data, see data/dicom/SOURCE.md; never hand-typed). Lookups cover exact tags, repeating groups
/// (<c>60xx</c>, <c>50xx</c>, ...), the command group 0000 and the file meta group 0002. Private data elements are
/// not in PS3.6; <see cref="Lookup(DicomTag)"/> returns null for them and <see cref="DicomDataset.GetPrivateCreator"/>
/// resolves their owning creator.
/// </summary>
public static class DicomDictionary
{
    private static readonly Lazy<Tables> Data = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Every entry (exact and repeating), in file order.</summary>
    public static IReadOnlyList<DicomDictionaryEntry> Entries => Data.Value.All;

    /// <summary>The DICOM edition of the embedded data, e.g. <c>2024d</c>.</summary>
    public static string Edition => Data.Value.Edition;

    /// <summary>Finds the entry for a tag (exact match first, then repeating-group masks); null when unknown.</summary>
    public static DicomDictionaryEntry? Lookup(DicomTag tag)
    {
        var t = Data.Value;
        if (t.ByTag.TryGetValue(tag.Value, out var e))
        {
            return e;
        }

        if (tag.IsPrivate)
        {
            // Repeating masks never cover odd groups; also (gggg,0000) group lengths of private groups are UL.
            return null;
        }

        foreach (var r in t.Repeating)
        {
            if (r.Matches(tag))
            {
                return r;
            }
        }

        return null;
    }

    /// <summary>Finds the entry with this keyword (case-sensitive, e.g. <c>PatientName</c>); null when unknown.</summary>
    public static DicomDictionaryEntry? Lookup(string keyword)
    {
        ArgumentNullException.ThrowIfNull(keyword);
        return Data.Value.ByKeyword.GetValueOrDefault(keyword);
    }

    /// <summary>The keyword of a tag, or null when the tag is unknown.</summary>
    public static string? GetKeyword(DicomTag tag)
    {
        var k = Lookup(tag)?.Keyword;
        return string.IsNullOrEmpty(k) ? null : k;
    }

    /// <summary>
    /// The VR implied for a tag when the encoding does not carry it (implicit VR), ignoring context: group lengths
    /// are UL, private creators LO, unknown tags UN; an ambiguous entry returns its first candidate (use
    /// <see cref="DicomDataset"/>-aware resolution in the reader for context).
    /// </summary>
    public static DicomVR GetDefaultVR(DicomTag tag)
    {
        if (tag.IsGroupLength)
        {
            return DicomVR.UL;
        }

        if (tag.IsPrivateCreator)
        {
            return DicomVR.LO;
        }

        var e = Lookup(tag);
        return e is { VRs.Count: > 0 } ? e.VRs[0] : DicomVR.UN;
    }

    private static Tables Load()
    {
        using var stream = typeof(DicomDictionary).Assembly.GetManifestResourceStream("CloudArchive.Dicom.dicom_dictionary.json")
            ?? throw new InvalidOperationException("The embedded DICOM dictionary resource is missing from the assembly.");
        using var doc = JsonDocument.Parse(stream);
        var tables = new Tables
        {
            Edition = doc.RootElement.GetProperty("_meta").TryGetProperty("dicomEdition", out var ed) ? ed.GetString() ?? string.Empty : string.Empty,
        };

        foreach (var item in doc.RootElement.GetProperty("entries").EnumerateArray())
        {
            var repeating = item.TryGetProperty("repeating", out var rp) && rp.GetBoolean();
            uint mask = 0xFFFFFFFF;
            uint value;
            if (repeating)
            {
                mask = uint.Parse(item.GetProperty("mask").GetString()!, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                value = uint.Parse(item.GetProperty("maskedValue").GetString()!, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }
            else
            {
                value = uint.Parse(item.GetProperty("tag").GetString()!, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }

            var vrs = new List<DicomVR>();
            if (item.TryGetProperty("vrs", out var vrArray))
            {
                foreach (var v in vrArray.EnumerateArray())
                {
                    if (DicomVR.TryParse(v.GetString(), out var vr))
                    {
                        vrs.Add(vr);
                    }
                }
            }

            var entry = new DicomDictionaryEntry(
                new DicomTag(value),
                mask,
                item.TryGetProperty("keyword", out var kw) ? kw.GetString() ?? string.Empty : string.Empty,
                item.TryGetProperty("name", out var nm) ? nm.GetString() ?? string.Empty : string.Empty,
                item.TryGetProperty("vr", out var vrText) ? vrText.GetString() ?? string.Empty : string.Empty,
                vrs,
                item.TryGetProperty("vm", out var vm) ? vm.GetString() ?? string.Empty : string.Empty,
                item.TryGetProperty("retired", out var ret) && ret.ValueKind == JsonValueKind.True);

            tables.All.Add(entry);
            if (repeating)
            {
                tables.Repeating.Add(entry);
            }
            else
            {
                tables.ByTag[value] = entry;
            }

            if (entry.Keyword.Length > 0)
            {
                tables.ByKeyword.TryAdd(entry.Keyword, entry);
            }
        }

        return tables;
    }

    private sealed class Tables
    {
        public List<DicomDictionaryEntry> All { get; } = new();

        public Dictionary<uint, DicomDictionaryEntry> ByTag { get; } = new();

        public List<DicomDictionaryEntry> Repeating { get; } = new();

        public Dictionary<string, DicomDictionaryEntry> ByKeyword { get; } = new(StringComparer.Ordinal);

        public string Edition { get; set; } = string.Empty;
    }
}
