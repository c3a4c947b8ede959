using System.Text.Json.Nodes;

namespace CloudArchive.Dicom.Tests.Oracle;

/// <summary>
/// One element in the normalized form of tools/oracles/README.md ("Golden format"): the same shape
/// the pydicom goldens use, so a reader's output and a golden compare field by field.
/// </summary>
public sealed record GoldenEntry(string Path, string Vr, JsonObject Fields)
{
    /// <summary>Builds an entry from one element object of a golden file.</summary>
    public static GoldenEntry FromJson(JsonObject element)
    {
        var fields = new JsonObject();
        foreach (var (key, value) in element)
        {
            if (key is not "path" and not "vr")
            {
                fields[key] = value?.DeepClone();
            }
        }

        return new GoldenEntry((string)element["path"]!, (string)element["vr"]!, fields);
    }
}
