using System.Diagnostics;
using System.Text.RegularExpressions;
using CloudArchive.Testing;
using Xunit;

namespace CloudArchive.Cli.Tests.Operations;

/// <summary>
/// <c>dev up --demo --exit-after-demo</c> end to end: Azurite from node_modules, the real function app binary
/// in its local host, the demo uploads, and everything stopped afterwards. State goes to a temporary
/// directory, never into the checkout.
/// </summary>
[Collection(DevUpCollection.Name)]
public sealed partial class DevUpDemoTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "ca-devup-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_state, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    [Fact]
    public async Task Dev_up_demo_accounts_for_every_upload_and_stops_everything_it_started()
    {
        var root = RepositoryPaths.FindRoot();
        var result = await OperationsCli.RunAsync(
            "dev", "up", "--demo", "--exit-after-demo", "--demo-timeout", "300",
            "--repo", root, "--state-dir", _state, "--functions-dll", DevUpBinaries.FunctionsDll());

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("Demo result", result.Output, StringComparison.Ordinal);
        // The lifecycle timers run on fast schedules: the demo shows the retention sweep's audited run and the seal state.
        Assert.Contains("Lifecycle timers", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"RetentionSweep\s*│\s*as-of=\d{4}-\d{2}-\d{2}, instances-deleted=\d+", result.Output);
        Assert.Matches(@"AuditSeal\s*│\s*(no closed audit hour yet|\d+ hour\(s\) sealed)", result.Output);
        Assert.True(result.Output.LastIndexOf("Local archive", StringComparison.Ordinal) > result.Output.IndexOf("Demo result", StringComparison.Ordinal), "the table of URLs is printed again after the demo:\n" + result.Output);
        Assert.Contains("WARN", result.Output, StringComparison.Ordinal); // the insecure local key is announced
        var uploaded = Count(result.Output, "uploaded");
        var archived = Count(result.Output, "archived");
        var duplicates = Count(result.Output, "duplicates");
        var quarantined = Count(result.Output, "quarantined");
        Assert.True(uploaded == archived + duplicates + quarantined, result.Output);
        Assert.True(duplicates == 1, "the exact re-upload is a duplicate:\n" + result.Output);
        Assert.True(quarantined >= 3, "the truncated, non-DICOM and empty uploads are quarantined:\n" + result.Output);
        // Quarantined uploads are listed by their opaque quarantine ids and reasons, never by upload name.
        Assert.Matches(@"[a-z2-7]{26}\s*│\s*empty\b", result.Output);
        Assert.Matches(@"[a-z2-7]{26}\s*│\s*not-dicom\b", result.Output);
        Assert.DoesNotContain("broken/empty.dcm", result.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_state, "dev.env")));

        foreach (Match pid in PidPattern().Matches(result.Output))
        {
            Assert.True(HasExited(int.Parse(pid.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)), $"process {pid.Value} is still running");
        }
    }

    [Fact]
    public async Task Exit_after_demo_without_demo_is_a_usage_error_that_starts_nothing()
    {
        var result = await OperationsCli.RunAsync("dev", "up", "--exit-after-demo", "--repo", RepositoryPaths.FindRoot(), "--state-dir", _state);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--exit-after-demo needs --demo", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_state, "azurite")));
    }

    [Fact]
    public async Task A_missing_function_app_binary_fails_clearly_after_preparing_storage_and_keys()
    {
        var missing = Path.Combine(_state, "nope", "CloudArchive.Functions.dll");

        var result = await OperationsCli.RunAsync("dev", "up", "--repo", RepositoryPaths.FindRoot(), "--state-dir", _state, "--functions-dll", missing);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Function app binary not found", result.Error, StringComparison.Ordinal);
        Assert.True(Directory.EnumerateFiles(Path.Combine(_state, "keys")).Any(), "the local key is generated before the app starts");
        Assert.True(File.Exists(Path.Combine(_state, "dev.env")));
    }

    private static int Count(string output, string outcome)
    {
        var line = output.Split('\n').First(l => l.TrimStart('│', '|', ' ').StartsWith(outcome, StringComparison.Ordinal));
        return int.Parse(DigitsAtEnd().Match(line).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static bool HasExited(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    [GeneratedRegex(@"\(pid (\d+)")]
    private static partial Regex PidPattern();

    [GeneratedRegex(@"(\d+)\s*[│|]?\s*$")]
    private static partial Regex DigitsAtEnd();
}
