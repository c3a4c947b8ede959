using System.Buffers.Text;
using System.Runtime.CompilerServices;
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

    // Runs once per process over ~5,300 entries (1.3 MB of JSON): a forward-only Utf8JsonReader pass (no document
    // tree, no per-property lookups), compiled fully optimized at once instead of starting in tier-0 code; in a
    // short-lived process (a CLI batch) the tree-based parse in tier-0 code cost several times this.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Tables Load()
    {
        byte[] json;
        using (var stream = typeof(DicomDictionary).Assembly.GetManifestResourceStream("CloudArchive.Dicom.dicom_dictionary.json")
            ?? throw new InvalidOperationException("The embedded DICOM dictionary resource is missing from the assembly."))
        {
            json = new byte[stream.Length];
            stream.ReadExactly(json);
        }

        var tables = new Tables();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        Next(ref reader, JsonTokenType.StartObject);
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("_meta"u8))
            {
                Next(ref reader, JsonTokenType.StartObject);
                while (Next(ref reader) == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("dicomEdition"u8))
                    {
                        Next(ref reader);
                        tables.Edition = reader.GetString() ?? string.Empty;
                    }
                    else
                    {
                        Next(ref reader);
                        reader.Skip();
                    }
                }
            }
            else if (reader.ValueTextEquals("entries"u8))
            {
                Next(ref reader, JsonTokenType.StartArray);
                var vrNames = new Dictionary<string, (string Text, DicomVR[] VRs)>(StringComparer.Ordinal);
                while (Next(ref reader) == JsonTokenType.StartObject)
                {
                    ReadEntry(ref reader, tables, vrNames);
                }
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }

        return tables;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReadEntry(ref Utf8JsonReader reader, Tables tables, Dictionary<string, (string Text, DicomVR[] VRs)> vrNames)
    {
        uint? tag = null;
        uint? mask = null;
        uint? maskedValue = null;
        var repeating = false;
        var retired = false;
        string keyword = string.Empty, name = string.Empty, vrText = string.Empty, vm = string.Empty;
        List<DicomVR>? vrs = null;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("tag"u8))
            {
                Next(ref reader);
                tag = reader.TokenType == JsonTokenType.String ? Hex(ref reader, allowWildcard: true) : null;
            }
            else if (reader.ValueTextEquals("keyword"u8))
            {
                Next(ref reader);
                keyword = reader.GetString() ?? string.Empty;
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                Next(ref reader);
                name = reader.GetString() ?? string.Empty;
            }
            else if (reader.ValueTextEquals("vr"u8))
            {
                Next(ref reader);
                vrText = reader.GetString() ?? string.Empty;
            }
            else if (reader.ValueTextEquals("vrs"u8))
            {
                Next(ref reader, JsonTokenType.StartArray);
                vrs = new List<DicomVR>(1);
                while (Next(ref reader) == JsonTokenType.String)
                {
                    if (DicomVR.TryParse(reader.GetString(), out var vr))
                    {
                        vrs.Add(vr);
                    }
                }
            }
            else if (reader.ValueTextEquals("vm"u8))
            {
                Next(ref reader);
                vm = reader.GetString() ?? string.Empty;
            }
            else if (reader.ValueTextEquals("retired"u8))
            {
                Next(ref reader);
                retired = reader.TokenType == JsonTokenType.True;
            }
            else if (reader.ValueTextEquals("repeating"u8))
            {
                Next(ref reader);
                repeating = reader.TokenType == JsonTokenType.True;
            }
            else if (reader.ValueTextEquals("mask"u8))
            {
                Next(ref reader);
                mask = Hex(ref reader, allowWildcard: false);
            }
            else if (reader.ValueTextEquals("maskedValue"u8))
            {
                Next(ref reader);
                maskedValue = Hex(ref reader, allowWildcard: false);
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }

        uint value;
        uint entryMask = 0xFFFFFFFF;
        if (repeating)
        {
            entryMask = mask ?? throw new InvalidOperationException("Embedded DICOM dictionary: a repeating entry has no mask.");
            value = maskedValue ?? throw new InvalidOperationException("Embedded DICOM dictionary: a repeating entry has no maskedValue.");
        }
        else
        {
            value = tag ?? throw new InvalidOperationException("Embedded DICOM dictionary: an entry has no valid tag.");
        }

        // Entries share a few dozen VR spellings: one string and one list instance per spelling.
        IReadOnlyList<DicomVR> entryVrs;
        if (vrNames.TryGetValue(vrText, out var shared) && vrs is not null && shared.VRs.AsSpan().SequenceEqual(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(vrs)))
        {
            vrText = shared.Text;
            entryVrs = shared.VRs;
        }
        else
        {
            var array = vrs?.ToArray() ?? [];
            vrNames.TryAdd(vrText, (vrText, array));
            entryVrs = array;
        }

        var entry = new DicomDictionaryEntry(new DicomTag(value), entryMask, keyword, name, vrText, entryVrs, vm, retired);
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

    /// <summary>Parses an 8-digit hex string token; with <paramref name="allowWildcard"/> a value with X digits (the
    /// tag of a repeating entry, described by its mask instead) gives null.</summary>
    private static uint? Hex(ref Utf8JsonReader reader, bool allowWildcard)
    {
        var span = reader.ValueSpan; // one contiguous buffer: never a value sequence
        if (Utf8Parser.TryParse(span, out uint v, out var consumed, 'X') && consumed == span.Length)
        {
            return v;
        }

        return allowWildcard ? null : throw new InvalidOperationException("Embedded DICOM dictionary: invalid hex value.");
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new InvalidOperationException("Embedded DICOM dictionary: unexpected end of data.");
        }

        return reader.TokenType;
    }

    private static void Next(ref Utf8JsonReader reader, JsonTokenType expected)
    {
        if (Next(ref reader) != expected)
        {
            throw new InvalidOperationException($"Embedded DICOM dictionary: expected {expected}, found {reader.TokenType}.");
        }
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
