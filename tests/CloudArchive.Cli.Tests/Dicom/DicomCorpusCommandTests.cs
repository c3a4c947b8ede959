using System.Text.Json;
using Xunit;

namespace CloudArchive.Cli.Tests.Dicom;

/// <summary>dump and json over every sample: readable ones succeed, the four unreadable ones fail cleanly.</summary>
public sealed class DicomCorpusCommandTests
{
    private static readonly HashSet<string> Unreadable = new(StringComparer.Ordinal)
    {
        "MR_truncated.dcm", "rtplan_truncated.dcm", "no_meta.dcm", "emri_small_jpeg_2k_lossless_too_short.dcm",
    };

    public static bool IsUnreadable(string sample) => Unreadable.Contains(sample);

    public static TheoryData<string> AllSamples()
    {
        var data = new TheoryData<string>();
        var dir = Path.GetDirectoryName(SamplePaths.Of("CT_small.dcm"))!;
        foreach (var name in Directory.GetFiles(dir).Select(Path.GetFileName).Where(n => n!.EndsWith(".dcm", StringComparison.Ordinal) || n == "DICOMDIR").Order(StringComparer.Ordinal))
        {
            data.Add(name!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllSamples))]
    public async Task Dump_and_json_succeed_on_readable_samples_and_fail_with_exit_1_on_unreadable_ones(string sample)
    {
        var dump = await CliRun.RunAsync("dicom", "dump", SamplePaths.Of(sample));
        var json = await CliRun.RunAsync("dicom", "json", "--compact", SamplePaths.Of(sample));

        if (Unreadable.Contains(sample))
        {
            Assert.Equal(1, dump.ExitCode);
            Assert.Equal(1, json.ExitCode);
            Assert.Equal(string.Empty, json.Output);
            Assert.Single(json.Error.TrimEnd().Split('\n'));
            return;
        }

        Assert.True(dump.ExitCode == 0, dump.Error);
        Assert.True(json.ExitCode == 0, json.Error);
        Assert.StartsWith("# Dicom-File-Format", dump.Output, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(json.Output);
        Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);
        Assert.All(doc.RootElement.EnumerateObject(), p => Assert.True(p.Value.TryGetProperty("vr", out _), p.Name));
    }
}
