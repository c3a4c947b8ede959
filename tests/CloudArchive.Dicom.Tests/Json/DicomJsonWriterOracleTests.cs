using System.Text.Json;
using System.Text.Json.Nodes;
using CloudArchive.Dicom.Tests.Oracle;
using CloudArchive.Dicom.Tests.Support;
using Xunit;

namespace CloudArchive.Dicom.Tests.Json;

/// <summary>DicomJsonWriter against pydicom's <c>Dataset.to_json_dict</c> (tools/oracles/pydicom_json.py) on the sample corpus.</summary>
public sealed class DicomJsonWriterOracleTests
{
    private const string Python = "/usr/bin/python3";

    // gdcm_00191113 has odd-length fragments: pydicom keeps them odd, CloudArchive pads them (PS3.5 A.4), so the
    // encapsulated value differs by design. pydicom cannot write badVR.dcm at all (IS "1A"); its own test is below.
    public static TheoryData<string> Readable()
    {
        var data = new TheoryData<string>();
        foreach (var name in Samples.AllNames().Where(n => !Samples.Unreadable.Contains(n) && n != "gdcm_00191113.dcm" && n != "badVR.dcm"))
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Readable))]
    public async Task Json_of_each_sample_matches_pydicom(string name)
    {
        if (!File.Exists(Python) || !(await OracleTool.RunAsync(Python, ["-c", "import pydicom"], TestContext.Current.CancellationToken)).ExitCode.Equals(0))
        {
            Assert.Skip("pydicom is not installed.");
        }

        var oracle = await OracleTool.RunAsync(Python, [Path.Combine(Samples.RepoRoot, "tools", "oracles", "pydicom_json.py"), Samples.PathOf(name)], TestContext.Current.CancellationToken);
        Assert.True(oracle.ExitCode == 0, oracle.Stderr);
        var expected = JsonNode.Parse(oracle.Stdout)!.AsObject();

        await using var file = await DicomFile.OpenAsync(Samples.PathOf(name), cancellationToken: TestContext.Current.CancellationToken);
        using var buffer = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            await DicomJsonWriter.WriteAsync(writer, file.Dataset, null, TestContext.Current.CancellationToken);
        }

        var actual = JsonNode.Parse(buffer.ToArray())!.AsObject();
        var differences = new List<string>();
        CompareObjects(expected, actual, "", differences, name.Contains("BigEnd", StringComparison.OrdinalIgnoreCase) || name.Contains("bigendian", StringComparison.Ordinal));
        Assert.True(differences.Count == 0, string.Join("\n", differences.Take(20)));
    }

    [Fact]
    public async Task A_malformed_integer_string_is_kept_as_a_json_string()
    {
        await using var file = await DicomFile.OpenAsync(Samples.PathOf("badVR.dcm"), cancellationToken: TestContext.Current.CancellationToken);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            DicomJsonWriter.Write(writer, file.Dataset);
        }

        var json = JsonNode.Parse(buffer.ToArray())!;
        var bad = file.Dataset.Where(e => e is DicomValueElement { VR.Code: "IS" } v && v.GetString() == "1A").Single();
        Assert.Equal("1A", (string?)json[DicomJsonWriter.Key(bad.Tag)]!["Value"]![0]);
    }

    [Fact]
    public void Bulk_values_get_the_uri_the_callback_chooses_and_small_ones_stay_inline()
    {
        var ds = new DicomDataset();
        ds.Add(new DicomValueElement(new DicomTag(0x7FE0, 0x0010), DicomVR.OW, new byte[64]));
        ds.Add(new DicomValueElement(new DicomTag(0x0009, 0x0010), DicomVR.LO, "ACME "u8.ToArray()));
        ds.Add(new DicomValueElement(new DicomTag(0x0009, 0x1001), DicomVR.OB, new byte[] { 1, 2 }));
        var nested = new DicomDataset { new DicomValueElement(new DicomTag(0x0028, 0x1201), DicomVR.OW, new byte[32]) };
        ds.Add(new DicomSequence(new DicomTag(0x0040, 0xA730), [nested]));
        var options = new DicomJsonWriterOptions { BulkDataUri = v => v.Length >= 32 ? "bulk/" + v.Path : null };

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            DicomJsonWriter.Write(writer, ds, options);
        }

        var json = JsonNode.Parse(buffer.ToArray())!;
        Assert.Equal("bulk/7FE00010", (string?)json["7FE00010"]!["BulkDataURI"]);
        Assert.Equal("AQI=", (string?)json["00091001"]!["InlineBinary"]);
        Assert.Equal("bulk/0040A730/0/00281201", (string?)json["0040A730"]!["Value"]![0]!["00281201"]!["BulkDataURI"]);
        Assert.True(DicomElementPath.TryParse("0040A730/0/00281201", out var path));
        Assert.Same(nested.Get(new DicomTag(0x0028, 0x1201)), path!.Resolve(ds));
    }

    [Fact]
    public void A_large_value_without_a_uri_is_refused_rather_than_loaded()
    {
        var ds = new DicomDataset { new DicomValueElement(new DicomTag(0x7FE0, 0x0010), DicomVR.OB, new byte[1024]) };
        using var buffer = new MemoryStream();
        using var writer = new Utf8JsonWriter(buffer);
        Assert.Throws<InvalidOperationException>(() => DicomJsonWriter.Write(writer, ds, new DicomJsonWriterOptions { MaxInlineBinaryLength = 1000 }));
    }

    [Theory]
    [InlineData("")]
    [InlineData("7FE0001")]
    [InlineData("7FE00010/0")]
    [InlineData("0040A730/01/00281201")]
    [InlineData("0040A730/-1/00281201")]
    [InlineData("0040A730/x/00281201")]
    [InlineData("7FE00010/")]
    public void Malformed_element_paths_are_rejected(string text) =>
        Assert.False(DicomElementPath.TryParse(text, out _));

    [Fact]
    public void Person_names_are_written_as_component_groups_and_empty_values_as_null()
    {
        var ds = new DicomDataset();
        ds.SetString(new DicomTag(0x0008, 0x0005), "ISO_IR 192");
        ds.SetString(new DicomTag(0x0010, 0x0010), "Yamada^Tarou=山田^太郎=やまだ^たろう");
        ds.SetStrings(new DicomTag(0x0008, 0x0008), ["ORIGINAL", "", "AXIAL"]);
        ds.SetStrings(new DicomTag(0x0028, 0x0030), ["0.5", "+.25"]);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            DicomJsonWriter.Write(writer, ds);
        }

        var json = JsonNode.Parse(buffer.ToArray())!;
        var pn = json["00100010"]!["Value"]![0]!;
        Assert.Equal("Yamada^Tarou", (string?)pn["Alphabetic"]);
        Assert.Equal("山田^太郎", (string?)pn["Ideographic"]);
        Assert.Equal("やまだ^たろう", (string?)pn["Phonetic"]);
        Assert.Null(json["00080008"]!["Value"]![1]);
        Assert.Equal(0.25, (double)json["00280030"]!["Value"]![1]!);
    }

    private static void CompareObjects(JsonObject expected, JsonObject actual, string where, List<string> differences, bool bigEndian)
    {
        foreach (var key in expected.Select(p => p.Key).Union(actual.Select(p => p.Key)).Order(StringComparer.Ordinal))
        {
            var e = expected[key]?.AsObject();
            var a = actual[key]?.AsObject();
            var at = where + key;
            if (e is null || a is null)
            {
                differences.Add($"{at}: only in {(e is null ? "ours" : "pydicom")}");
                continue;
            }

            var vr = (string?)e["vr"];
            // Private tags pydicom knows from its private dictionary stay UN here (CloudArchive has none), and a UN of
            // defined length that holds items stays UN (docs/dicom.md, as dcmtk reads bad_sequence.dcm).
            if ((string?)a["vr"] == "UN" && vr != "UN" && (DicomTag.Parse(key).IsPrivate || vr == "SQ"))
            {
                continue;
            }

            if (vr != (string?)a["vr"])
            {
                differences.Add($"{at}: vr {vr} vs {(string?)a["vr"]}");
                continue;
            }

            if (e["InlineBinary"] is { } eb)
            {
                // pydicom keeps big endian bytes as read; PS3.18 InlineBinary (and CloudArchive) is little endian.
                var eBytes = Convert.FromBase64String((string)eb!);
                if (bigEndian && vr is "OW" or "US" or "SS")
                {
                    for (var i = 0; i + 1 < eBytes.Length; i += 2)
                    {
                        (eBytes[i], eBytes[i + 1]) = (eBytes[i + 1], eBytes[i]);
                    }
                }

                if (a["InlineBinary"] is not { } ab || !eBytes.SequenceEqual(Convert.FromBase64String((string)ab!)))
                {
                    differences.Add($"{at}: InlineBinary differs");
                }

                continue;
            }

            var ev = e["Value"]?.AsArray() ?? [];
            var av = a["Value"]?.AsArray() ?? [];
            if (ev.Count != av.Count)
            {
                differences.Add($"{at}: {ev.Count} values vs {av.Count}");
                continue;
            }

            for (var i = 0; i < ev.Count; i++)
            {
                CompareValue(vr!, ev[i], av[i], $"{at}[{i}]", differences, bigEndian);
            }
        }
    }

    private static void CompareValue(string vr, JsonNode? e, JsonNode? a, string at, List<string> differences, bool bigEndian)
    {
        if (vr == "SQ")
        {
            CompareObjects(e!.AsObject(), a!.AsObject(), at + ".", differences, bigEndian);
            return;
        }

        // pydicom writes an empty string where PS3.18 F.2.5 asks for null; both mean "no value".
        var eEmpty = e is null || (e.GetValueKind() == JsonValueKind.String && (string?)e == "");
        var aEmpty = a is null;
        if (eEmpty || aEmpty)
        {
            if (eEmpty != aEmpty)
            {
                differences.Add($"{at}: {e?.ToJsonString()} vs {a?.ToJsonString()}");
            }

            return;
        }

        if (e!.GetValueKind() == JsonValueKind.Number && a!.GetValueKind() == JsonValueKind.Number)
        {
            var x = e.GetValue<double>();
            var y = a.GetValue<double>();
            if (Math.Abs(x - y) > 1e-6 * Math.Max(1, Math.Abs(x)))
            {
                differences.Add($"{at}: {x} vs {y}");
            }

            return;
        }

        if (!JsonNode.DeepEquals(e, a))
        {
            differences.Add($"{at}: {e.ToJsonString()} vs {a!.ToJsonString()}");
        }
    }
}
