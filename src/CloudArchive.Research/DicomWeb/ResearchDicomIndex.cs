using System.Text.Json;

namespace CloudArchive.Research.DicomWeb;

/// <summary>
/// The research DICOMweb index of one agreement (<c>{agreementId}/dicomweb-index.json</c> in the <c>research</c>
/// container): the QIDO attributes of every de-identified copy, and the stamp of the export manifest it was built
/// for. Only de-identified values are in it — it is derived from the copies themselves.
/// </summary>
public sealed class ResearchDicomIndex
{
    /// <summary>Format id.</summary>
    public const string SchemaId = "cloudarchive/research-dicomweb-index/v1";

    /// <summary>Creates an index.</summary>
    public ResearchDicomIndex(string stamp, IReadOnlyList<ResearchDicomIndexEntry> entries)
    {
        Stamp = stamp ?? throw new ArgumentNullException(nameof(stamp));
        Entries = entries ?? throw new ArgumentNullException(nameof(entries));
    }

    /// <summary>What the index was built for (a digest of the agreement's manifest, or <c>no-manifest</c>).</summary>
    public string Stamp { get; }

    /// <summary>The instances, ordered by study, series and instance UID.</summary>
    public IReadOnlyList<ResearchDicomIndexEntry> Entries { get; }

    /// <summary>Writes the index as JSON.</summary>
    public void WriteTo(Stream output)
    {
        using var w = new Utf8JsonWriter(output);
        w.WriteStartObject();
        w.WriteString("schema", SchemaId);
        w.WriteString("stamp", Stamp);
        w.WriteStartArray("instances");
        foreach (var e in Entries)
        {
            w.WriteStartObject();
            w.WriteString("study", e.StudyUid);
            w.WriteString("series", e.SeriesUid);
            w.WriteString("instance", e.InstanceUid);
            w.WriteString("transferSyntax", e.TransferSyntax);
            w.WriteNumber("length", e.Length);
            w.WriteStartObject("values");
            foreach (var (key, values) in e.Values)
            {
                w.WriteStartArray(key);
                foreach (var v in values)
                {
                    w.WriteStringValue(v);
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Reads an index, or returns null when the bytes are not one (it is then rebuilt).</summary>
    public static ResearchDicomIndex? TryParse(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.GetProperty("schema").GetString() != SchemaId)
            {
                return null;
            }

            var entries = new List<ResearchDicomIndexEntry>();
            foreach (var i in root.GetProperty("instances").EnumerateArray())
            {
                var values = new Dictionary<string, string[]>(StringComparer.Ordinal);
                foreach (var p in i.GetProperty("values").EnumerateObject())
                {
                    values[p.Name] = p.Value.EnumerateArray().Select(v => v.GetString() ?? string.Empty).ToArray();
                }

                entries.Add(new ResearchDicomIndexEntry(
                    i.GetProperty("study").GetString()!, i.GetProperty("series").GetString()!, i.GetProperty("instance").GetString()!,
                    i.GetProperty("transferSyntax").GetString()!, i.GetProperty("length").GetInt64(), values));
            }

            return new ResearchDicomIndex(root.GetProperty("stamp").GetString()!, entries);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
