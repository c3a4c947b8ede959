using CloudArchive.Cli.Commands.Common;
using CloudArchive.Cli.Commands.Doctor;
using Xunit;

namespace CloudArchive.Cli.Tests.Doctor;

/// <summary>What doctor prints: a row per check, the fix under every failed or unverifiable check, and the totals.</summary>
public sealed class DoctorReportTests
{
    private static (bool Failed, string Output) Render(params DoctorCheck[] checks)
    {
        using var writer = new StringWriter();
        var failed = DoctorReport.Write(OperationsRunner.Console(writer), checks);
        return (failed, writer.ToString());
    }

    [Fact]
    public void A_failed_platform_check_prints_its_fix_and_fails_the_run()
    {
        var (failed, output) = Render(
            PlatformControls.Judge(PlatformControls.SharedKey, PlatformControls.SharedKeyFromResponse(403, "AuthenticationFailed")),
            PlatformControls.Judge(PlatformControls.HttpsOnly, PlatformControls.HttpsOnlyFromResponse("acct", 400, "AccountRequiresHttps")));

        Assert.True(failed);
        Assert.Contains($"fix {PlatformControls.SharedKey}: {PlatformControls.FixFor(PlatformControls.SharedKey)}", output.ReplaceLineEndings(string.Empty), StringComparison.Ordinal);
        Assert.DoesNotContain($"fix {PlatformControls.HttpsOnly}", output, StringComparison.Ordinal);
        Assert.Contains("1 check(s) failed", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Skipped_checks_show_as_skip_count_as_not_applicable_and_do_not_fail_the_run()
    {
        var (failed, output) = Render([.. PlatformControls.NotApplicable("the local emulator (Azurite) has no such platform control")]);

        Assert.False(failed);
        Assert.Contains("SKIP", output, StringComparison.Ordinal);
        Assert.DoesNotContain("fix ", output, StringComparison.Ordinal);
        Assert.Contains("All checks passed, 0 warning(s), 5 not applicable.", output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unverifiable_check_warns_with_its_fix_but_does_not_fail_the_run()
    {
        var (failed, output) = Render(PlatformControls.Judge(PlatformControls.PurgeProtection, PlatformReading.Unreadable("Get Key answered 403 Forbidden")));

        Assert.False(failed);
        Assert.Contains("WARN", output, StringComparison.Ordinal);
        Assert.Contains($"fix {PlatformControls.PurgeProtection}:", output, StringComparison.Ordinal);
    }
}
