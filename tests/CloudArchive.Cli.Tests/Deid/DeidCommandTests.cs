using System.Text.Json;
using CloudArchive.Cli.Tests.Dicom;
using CloudArchive.Dicom;
using Xunit;

namespace CloudArchive.Cli.Tests.Deid;

public sealed class DeidCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cli-deid").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, true);
        }
        catch (IOException)
        {
        }
    }

    private string Secret(string text = "0123456789abcdef0123456789abcdef-project-secret")
    {
        var p = Path.Combine(_root, "secret-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(p, text + "\n");
        return p;
    }

    private string InputDir(params string[] samples)
    {
        var dir = Path.Combine(_root, "in");
        Directory.CreateDirectory(Path.Combine(dir, "nested"));
        foreach (var s in samples)
        {
            File.Copy(SamplePaths.Of(s), Path.Combine(dir, "nested", s));
        }

        return dir;
    }

    [Fact]
    public async Task Directory_run_writes_outputs_reports_and_lists_refused_inputs()
    {
        var input = InputDir("CT_small.dcm", "MR_small.dcm", "examples_ybr_color.dcm", "MR_truncated.dcm");
        var output = Path.Combine(_root, "out");
        var reports = Path.Combine(_root, "reports");
        var r = await CliRun.RunAsync("deid", "--in", input, "--out", output, "--secret-file", Secret(), "--report", reports, "--jobs", "2");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("de-identified 2, refused 1, failed 1 of 4", r.Output, StringComparison.Ordinal);
        Assert.Contains("nested/examples_ybr_color.dcm", r.Output, StringComparison.Ordinal);
        var outs = Directory.GetFiles(output);
        Assert.Equal(2, outs.Length);
        Assert.All(outs, f => Assert.StartsWith("2.25.", Path.GetFileName(f), StringComparison.Ordinal));
        using var summary = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(reports, "summary.json"), TestContext.Current.CancellationToken));
        Assert.Equal(1, summary.RootElement.GetProperty("refused").GetInt32());
        Assert.Equal(1, summary.RootElement.GetProperty("failed").GetInt32());
        var problems = summary.RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("failure").GetString()).ToList();
        Assert.Contains("pixelPolicyRefused", problems);
        Assert.Contains("unreadableInput", problems);
        Assert.Equal(2, Directory.GetFiles(reports, "2.25.*.json").Length);
    }

    [Fact]
    public async Task DICOMDIR_in_a_directory_run_is_refused_and_listed_while_instances_are_deidentified()
    {
        var input = InputDir("CT_small.dcm", "DICOMDIR");
        var output = Path.Combine(_root, "out-dir");
        var reports = Path.Combine(_root, "reports-dir");
        var r = await CliRun.RunAsync("deid", "--in", input, "--out", output, "--secret-file", Secret(), "--report", reports);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("de-identified 1, refused 1, failed 0 of 2", r.Output, StringComparison.Ordinal);
        Assert.Contains("nested/DICOMDIR", r.Output, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(output));
        using var summary = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(reports, "summary.json"), TestContext.Current.CancellationToken));
        var problem = Assert.Single(summary.RootElement.GetProperty("problems").EnumerateArray());
        Assert.Equal("mediaDirectoryRefused", problem.GetProperty("failure").GetString());
    }

    [Fact]
    public async Task Single_file_with_options_keeps_uids_when_retain_uids_is_asked()
    {
        var output = Path.Combine(_root, "out1");
        var r = await CliRun.RunAsync("deid", "--in", SamplePaths.Of("CT_small.dcm"), "--out", output, "--secret-file", Secret(), "--options", "retainUIDs,retainLongitudinalModifiedDates");
        Assert.Equal(0, r.ExitCode);
        var outFile = Assert.Single(Directory.GetFiles(output));
        await using var a = await DicomFile.OpenAsync(SamplePaths.Of("CT_small.dcm"), null, TestContext.Current.CancellationToken);
        await using var b = await DicomFile.OpenAsync(outFile, null, TestContext.Current.CancellationToken);
        Assert.Equal(a.Dataset.GetString(DicomTags.SOPInstanceUID), b.Dataset.GetString(DicomTags.SOPInstanceUID));
        Assert.Equal("MODIFIED", b.Dataset.GetString(new DicomTag(0x0028, 0x0303)));
    }

    [Fact]
    public async Task Profile_file_can_relax_the_absent_burned_in_flag_policy_for_ultrasound()
    {
        var profile = Path.Combine(_root, "p.json");
        await File.WriteAllTextAsync(profile, """
            { "name": "p", "pixel": { "refuseWhenAbsentForModalities": [] } }
            """, TestContext.Current.CancellationToken);
        var r = await CliRun.RunAsync("deid", "--in", SamplePaths.Of("examples_ybr_color.dcm"), "--out", Path.Combine(_root, "o"), "--secret-file", Secret(), "--profile", profile);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("profile p", r.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("options")]
    [InlineData("short-secret")]
    [InlineData("missing-secret")]
    [InlineData("bad-profile")]
    [InlineData("missing-input")]
    public async Task Configuration_errors_exit_2_with_a_clear_message_and_write_nothing(string problem)
    {
        var output = Path.Combine(_root, "bad-out");
        var args = new List<string> { "deid", "--in", SamplePaths.Of("CT_small.dcm"), "--out", output };
        switch (problem)
        {
            case "options":
                args.AddRange(["--secret-file", Secret(), "--options", "retainEverything"]);
                break;
            case "short-secret":
                args.AddRange(["--secret-file", Secret("tooshort")]);
                break;
            case "missing-secret":
                args.AddRange(["--secret-file", Path.Combine(_root, "nope")]);
                break;
            case "bad-profile":
                var p = Path.Combine(_root, "bad.json");
                File.WriteAllText(p, """{ "name": "x", "overrides": [ { "keyword": "NotAKeyword", "action": "K" } ] }""");
                args.AddRange(["--secret-file", Secret(), "--profile", p]);
                break;
            case "missing-input":
                args[2] = Path.Combine(_root, "no-such-input");
                args.AddRange(["--secret-file", Secret()]);
                break;
        }

        var r = await CliRun.RunAsync(args.ToArray());
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("deid: ", r.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("tooshort", r.Error, StringComparison.Ordinal);
        if (problem == "bad-profile")
        {
            Assert.Contains("$.overrides[0].keyword", r.Error, StringComparison.Ordinal);
        }

        Assert.False(Directory.Exists(output) && Directory.GetFiles(output).Length > 0);
    }
}
