using System.Security.Cryptography;
using System.Text.Json.Nodes;
using CloudArchive.Dicom.Tests.Support;
using Xunit;

namespace CloudArchive.Dicom.Tests.Oracle;

/// <summary>A committed pydicom golden (tests/CloudArchive.Dicom.Tests/Goldens/&lt;sample&gt;.json).</summary>
public sealed class GoldenFile
{
    private GoldenFile(JsonObject root)
    {
        Root = root;
        Elements = root["elements"]!.AsArray().Select(e => GoldenEntry.FromJson(e!.AsObject())).ToList();
    }

    /// <summary>The whole golden document.</summary>
    public JsonObject Root { get; }

    /// <summary>The sample file name.</summary>
    public string Sample => (string)Root["file"]!;

    /// <summary>SHA-256 of the sample the golden was made from.</summary>
    public string SampleSha256 => (string)Root["fileSha256"]!;

    /// <summary>The normalized elements.</summary>
    public IReadOnlyList<GoldenEntry> Elements { get; }

    /// <summary>The folder holding the goldens (read from the checkout, so tests need no oracle and no copy step).</summary>
    public static string Directory => Path.Combine(Samples.RepoRoot, "tests", "CloudArchive.Dicom.Tests", "Goldens");

    /// <summary>The sample names that have a golden.</summary>
    public static IEnumerable<string> SampleNames() =>
        System.IO.Directory.GetFiles(Directory, "*.json").Select(p => Path.GetFileName(p)[..^".json".Length]).Order(StringComparer.Ordinal);

    /// <summary>Theory data over <see cref="SampleNames"/>.</summary>
    public static TheoryData<string> Theory()
    {
        var data = new TheoryData<string>();
        foreach (var n in SampleNames())
        {
            data.Add(n);
        }

        return data;
    }

    /// <summary>Loads the golden of <paramref name="sample"/>.</summary>
    public static GoldenFile Load(string sample)
    {
        var text = File.ReadAllText(Path.Combine(Directory, sample + ".json"));
        return new GoldenFile(JsonNode.Parse(text)!.AsObject());
    }

    /// <summary>SHA-256 (lowercase hex) of a file on disk.</summary>
    public static string Sha256Of(string path)
    {
        using var s = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }
}
