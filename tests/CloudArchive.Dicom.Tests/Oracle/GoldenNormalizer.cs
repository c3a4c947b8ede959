using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace CloudArchive.Dicom.Tests.Oracle;

/// <summary>
/// Turns what the project's reader produced into golden entries, applying exactly the normalization
/// rules of tools/oracles/README.md (text split on '\', trailing space/NUL stripped, leading spaces
/// too for AE CS DS IS; numbers as numbers; binary as length + SHA-256 of the little-endian bytes).
/// </summary>
public static class GoldenNormalizer
{
    private static readonly HashSet<string> LeadingSpaceInsignificant = new(StringComparer.Ordinal) { "AE", "CS", "DS", "IS" };

    /// <summary>All elements of the File Meta group and the dataset, depth first, tag ascending.</summary>
    public static List<GoldenEntry> Normalize(DicomFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var entries = new List<GoldenEntry>();
        Walk(file.FileMetaInformation, string.Empty, entries);
        Walk(file.Dataset, string.Empty, entries);
        return entries;
    }

    private static void Walk(DicomDataset dataset, string prefix, List<GoldenEntry> entries)
    {
        foreach (var element in dataset)
        {
            var path = prefix + element.Tag.ToString();
            switch (element)
            {
                case DicomSequence sequence:
                    entries.Add(new GoldenEntry(path, element.VR.Code, new JsonObject { ["items"] = sequence.Items.Count }));
                    for (var i = 0; i < sequence.Items.Count; i++)
                    {
                        Walk(sequence.Items[i], $"{path}[{i}]/", entries);
                    }

                    break;
                case DicomFragmentSequence pixels:
                    var fragments = new JsonArray();
                    foreach (var f in pixels.Fragments)
                    {
                        fragments.Add(Hash(f.OpenRead(), f.Length));
                    }

                    entries.Add(new GoldenEntry(path, element.VR.Code, new JsonObject
                    {
                        ["encapsulated"] = true,
                        ["offsetTable"] = Hash(pixels.OffsetTable.OpenRead(), pixels.OffsetTable.Length),
                        ["fragments"] = fragments,
                    }));
                    break;
                case DicomValueElement value:
                    entries.Add(new GoldenEntry(path, element.VR.Code, ValueFields(value, dataset.CharacterSet)));
                    break;
                default:
                    entries.Add(new GoldenEntry(path, element.VR.Code, new JsonObject { ["unknownElementType"] = element.GetType().Name }));
                    break;
            }
        }
    }

    private static JsonObject ValueFields(DicomValueElement element, DicomCharacterSet characterSet)
    {
        var vr = element.VR;
        if (vr.IsString)
        {
            return new JsonObject { ["value"] = TextValue(element, characterSet) };
        }

        if (vr == DicomVR.AT)
        {
            var tags = new JsonArray();
            foreach (var t in element.GetTags())
            {
                tags.Add(t.Value.ToString("X8", CultureInfo.InvariantCulture));
            }

            return new JsonObject { ["value"] = tags };
        }

        var numbers = Numbers(element);
        if (numbers is not null)
        {
            return new JsonObject { ["value"] = numbers };
        }

        return Hash(element.OpenRead(), element.Length);
    }

    /// <summary>The README's text normalization applied to the reader's decoded string.</summary>
    public static JsonArray TextValue(DicomValueElement element, DicomCharacterSet characterSet)
    {
        ArgumentNullException.ThrowIfNull(element);
        var text = element.GetString(characterSet);
        var parts = element.VR.IsMultiValuedString ? text.Split('\\') : [text];
        var result = new JsonArray();
        var code = element.VR.Code;
        var normalized = parts.Select(p =>
        {
            var s = p.TrimEnd(' ', '\0');
            return LeadingSpaceInsignificant.Contains(code) ? s.TrimStart(' ') : s;
        }).ToList();
        if (normalized.Count == 1 && normalized[0].Length == 0)
        {
            return result;
        }

        foreach (var s in normalized)
        {
            result.Add(s);
        }

        return result;
    }

    private static JsonArray? Numbers(DicomValueElement element)
    {
        var vr = element.VR;
        var a = new JsonArray();
        if (vr == DicomVR.US)
        {
            foreach (var v in element.GetValues<ushort>())
            {
                a.Add(v);
            }
        }
        else if (vr == DicomVR.SS)
        {
            foreach (var v in element.GetValues<short>())
            {
                a.Add(v);
            }
        }
        else if (vr == DicomVR.UL)
        {
            foreach (var v in element.GetValues<uint>())
            {
                a.Add(v);
            }
        }
        else if (vr == DicomVR.SL)
        {
            foreach (var v in element.GetValues<int>())
            {
                a.Add(v);
            }
        }
        else if (vr == DicomVR.UV)
        {
            foreach (var v in element.GetValues<ulong>())
            {
                a.Add(v);
            }
        }
        else if (vr == DicomVR.SV)
        {
            foreach (var v in element.GetValues<long>())
            {
                a.Add(v);
            }
        }
        else if (vr == DicomVR.FL)
        {
            foreach (var v in element.GetValues<float>())
            {
                a.Add(Floating(v));
            }
        }
        else if (vr == DicomVR.FD)
        {
            foreach (var v in element.GetValues<double>())
            {
                a.Add(Floating(v));
            }
        }
        else
        {
            return null;
        }

        return a;
    }

    private static JsonNode Floating(double v) =>
        double.IsNaN(v) ? JsonValue.Create("NaN")
        : double.IsPositiveInfinity(v) ? JsonValue.Create("Infinity")
        : double.IsNegativeInfinity(v) ? JsonValue.Create("-Infinity")
        : JsonValue.Create(v);

    private static JsonObject Hash(Stream stream, long length)
    {
        // Also hashes the value without its last byte when that byte is a NUL pad, so a written
        // (even-length) copy of an odd-length value can be matched to the golden of the original.
        using (stream)
        using (var all = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        using (var unpadded = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            var buffer = new byte[81920];
            int? held = null;
            int n;
            while ((n = stream.Read(buffer)) > 0)
            {
                all.AppendData(buffer, 0, n);
                if (held is { } h)
                {
                    unpadded.AppendData([(byte)h]);
                }

                unpadded.AppendData(buffer, 0, n - 1);
                held = buffer[n - 1];
            }

            var result = new JsonObject { ["length"] = length, ["sha256"] = Convert.ToHexStringLower(all.GetHashAndReset()) };
            if (held == 0)
            {
                result[UnpaddedHashField] = Convert.ToHexStringLower(unpadded.GetHashAndReset());
            }

            return result;
        }
    }

    /// <summary>Field holding the hash of a value minus a trailing NUL pad byte (not part of the golden format).</summary>
    public const string UnpaddedHashField = "sha256WithoutTrailingNul";
}
