using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Xunit;

namespace CloudArchive.Cli.Tests.Dicom;

/// <summary>
/// <c>cloudarchive dicom json</c> against DCMTK's <c>dcm2json</c> (an independent PS3.18 writer) on every
/// readable sample. Skipped when dcm2json is not installed (CI installs dcmtk). Documented differences:
/// DCMTK converts the text to UTF-8 and rewrites (0008,0005) to "ISO_IR 192" (its value is not compared);
/// DCMTK keeps NUL bytes in text (a value of only NULs counts as empty);
/// DCMTK prints FL with 9 digits (compared as single precision); DCMTK pads an odd-length binary value
/// with one NUL; dcm2json cannot write encapsulated Pixel Data (exit 81), so for those samples both sides
/// are compared without (7FE0,0010), DCMTK's after <c>dcmodify -nb -ea "(7fe0,0010)"</c>.
/// </summary>
public sealed class Dcm2JsonOracleTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("ca-dcm2json-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    public static TheoryData<string> ReadableSamples()
    {
        var data = new TheoryData<string>();
        foreach (var s in DicomCorpusCommandTests.AllSamples())
        {
            var name = s.Data;
            if (!DicomCorpusCommandTests.IsUnreadable(name))
            {
                data.Add(name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ReadableSamples))]
    public async Task Json_equals_dcm2json_output(string sample)
    {
        var dcm2json = Find("dcm2json");
        var dcmodify = Find("dcmodify");
        if (dcm2json is null || dcmodify is null)
        {
            Assert.Skip("dcm2json/dcmodify are not installed (apt-get install dcmtk)");
        }

        var input = Path.Combine(_scratch, sample);
        File.Copy(SamplePaths.Of(sample), input);
        var (code, dcmtkJson) = await RunAsync(dcm2json, [input]);
        var withoutPixels = false;
        if (code == 81)
        {
            // "InlineBinary encoding not supported for compressed pixel data": compare the rest.
            (code, _) = await RunAsync(dcmodify, ["-nb", "-ea", "(7fe0,0010)", input]);
            Assert.Equal(0, code);
            (code, dcmtkJson) = await RunAsync(dcm2json, [input]);
            withoutPixels = true;
        }

        if (code == 80)
        {
            Assert.Skip("dcm2json exit 80: DCMTK (glibc iconv) cannot convert this sample's character set to UTF-8");
        }

        Assert.True(code == 0, $"dcm2json exit {code}");
        var ours = await CliRun.RunAsync("dicom", "json", "--bulk-threshold", "2000000000", SamplePaths.Of(sample));
        Assert.True(ours.ExitCode == 0, ours.Error);

        using var expected = JsonDocument.Parse(dcmtkJson);
        using var actual = JsonDocument.Parse(ours.Output);
        var problems = new List<string>();
        CompareDataset(expected.RootElement, actual.RootElement, string.Empty, withoutPixels, problems);

        Assert.True(problems.Count == 0, $"{sample}: {problems.Count} difference(s) from dcm2json:\n" + string.Join('\n', problems.Take(30)));
    }

    private static void CompareDataset(JsonElement dcmtk, JsonElement ours, string prefix, bool withoutPixels, List<string> problems)
    {
        var a = dcmtk.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        var b = ours.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        if (withoutPixels && prefix.Length == 0)
        {
            // dcmodify rewrote DCMTK's copy, and DCMTK drops Data Set Trailing Padding when it writes.
            b.Remove("7FE00010");
            b.Remove("FFFCFFFC");
        }

        foreach (var key in a.Keys.Union(b.Keys).Order(StringComparer.Ordinal))
        {
            var path = prefix + key;
            if (!a.TryGetValue(key, out var x) || !b.TryGetValue(key, out var y))
            {
                problems.Add($"{path}: only in {(a.ContainsKey(key) ? "dcm2json" : "ours")}");
                continue;
            }

            var vr = x.GetProperty("vr").GetString();
            if (vr != y.GetProperty("vr").GetString())
            {
                problems.Add($"{path}: vr {vr} vs {y.GetProperty("vr").GetString()}");
                continue;
            }

            if (key == "00080005")
            {
                continue;
            }

            if (x.TryGetProperty("InlineBinary", out var xb) || y.TryGetProperty("InlineBinary", out _))
            {
                var left = xb.ValueKind == JsonValueKind.String ? Convert.FromBase64String(xb.GetString()!) : [];
                var right = y.TryGetProperty("InlineBinary", out var yb) ? Convert.FromBase64String(yb.GetString()!) : [];
                var padded = right.Length % 2 == 1 && left.Length == right.Length + 1 && left[^1] == 0 && left.AsSpan(0, right.Length).SequenceEqual(right);
                if (!padded && !left.AsSpan().SequenceEqual(right))
                {
                    problems.Add($"{path}: InlineBinary differs ({left.Length} vs {right.Length} bytes)");
                }

                continue;
            }

            var xv = x.TryGetProperty("Value", out var xvv) ? xvv.EnumerateArray().ToList() : [];
            if (xv.Count == 1 && xv[0].ValueKind == JsonValueKind.String && xv[0].GetString()!.TrimEnd('\0').Length == 0)
            {
                // DCMTK keeps NUL bytes of a text value (gdcm_00191113's SH "\0\0"); pydicom and this
                // reader treat trailing NULs as padding, so such a value is empty.
                xv = [];
            }

            var yv = y.TryGetProperty("Value", out var yvv) ? yvv.EnumerateArray().ToList() : [];
            if (xv.Count != yv.Count)
            {
                problems.Add($"{path}: {xv.Count} vs {yv.Count} values");
                continue;
            }

            for (var i = 0; i < xv.Count; i++)
            {
                if (vr == "SQ")
                {
                    CompareDataset(xv[i], yv[i], $"{path}/{i}/", withoutPixels, problems);
                }
                else if (!ValueEquals(vr!, xv[i], yv[i]))
                {
                    problems.Add($"{path}[{i}]: {xv[i].GetRawText()} vs {yv[i].GetRawText()}");
                }
            }
        }
    }

    private static bool ValueEquals(string vr, JsonElement x, JsonElement y)
    {
        if (x.ValueKind == JsonValueKind.Number && y.ValueKind == JsonValueKind.Number)
        {
            return vr is "FL" or "OF" ? (float)x.GetDouble() == (float)y.GetDouble() : x.GetDouble() == y.GetDouble();
        }

        return JsonElement.DeepEquals(x, y);
    }

    private static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    private static async Task<(int Code, string Stdout)> RunAsync(string tool, string[] args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, StandardOutputEncoding = Encoding.UTF8 };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = p.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await p.WaitForExitAsync(TestContext.Current.CancellationToken);
        await stderr;
        return (p.ExitCode, await stdout);
    }
}
