using CloudArchive.Cli.Commands.Doctor;
using Xunit;

namespace CloudArchive.Cli.Tests.Doctor;

/// <summary>How doctor judges the platform controls of a deployed archive from what its probes saw.</summary>
public sealed class PlatformControlsTests
{
    private static readonly PlatformReading Good = PlatformReading.InPlace("fine");

    [Fact]
    public void A_shared_key_request_refused_as_key_based_authentication_not_permitted_passes()
    {
        var check = PlatformControls.Judge(PlatformControls.SharedKey, PlatformControls.SharedKeyFromResponse(403, "KeyBasedAuthenticationNotPermitted"));

        Assert.Equal(DoctorSeverity.Ok, check.Severity);
        Assert.Null(check.Fix);
    }

    [Fact]
    public void A_shared_key_signature_that_was_evaluated_fails_with_the_command_that_disables_shared_key()
    {
        var check = PlatformControls.Judge(PlatformControls.SharedKey, PlatformControls.SharedKeyFromResponse(403, "AuthenticationFailed"));

        Assert.Equal(DoctorSeverity.Fail, check.Severity);
        Assert.Contains("--allow-shared-key-access false", check.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(500, "InternalError")]
    [InlineData(403, "AuthorizationFailure")]
    [InlineData(200, null)]
    public void Any_other_answer_to_the_shared_key_probe_is_a_warning_not_a_pass(int status, string? errorCode)
    {
        var check = PlatformControls.Judge(PlatformControls.SharedKey, PlatformControls.SharedKeyFromResponse(status, errorCode));

        Assert.Equal(DoctorSeverity.Warn, check.Severity);
        Assert.StartsWith("could not be read", check.Detail, StringComparison.Ordinal);
        Assert.NotNull(check.Fix);
    }

    [Fact]
    public void An_http_request_refused_with_account_requires_https_passes()
    {
        Assert.Equal(DoctorSeverity.Ok, PlatformControls.Judge(PlatformControls.HttpsOnly, PlatformControls.HttpsOnlyFromResponse("acct", 400, "AccountRequiresHttps")).Severity);
    }

    [Theory]
    [InlineData(401, null)]
    [InlineData(403, "NoAuthenticationInformation")]
    [InlineData(404, "ResourceNotFound")]
    public void An_http_request_the_account_processed_fails_with_the_https_only_fix(int status, string? errorCode)
    {
        var check = PlatformControls.Judge(PlatformControls.HttpsOnly, PlatformControls.HttpsOnlyFromResponse("acct", status, errorCode));

        Assert.Equal(DoctorSeverity.Fail, check.Severity);
        Assert.Contains("--https-only true", check.Fix, StringComparison.Ordinal);
        Assert.Contains("acct", check.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(false)]
    public void An_audit_container_without_an_immutability_policy_fails_with_the_worm_fix(bool? header)
    {
        var check = PlatformControls.Judge(PlatformControls.AuditImmutability, PlatformControls.AuditImmutabilityFromHeader("audit", header));

        Assert.Equal(DoctorSeverity.Fail, check.Severity);
        Assert.Contains("immutability-policy create", check.Fix, StringComparison.Ordinal);
        Assert.Contains("--allow-protected-append-writes-all true", check.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void An_audit_container_with_an_immutability_policy_passes()
    {
        Assert.Equal(DoctorSeverity.Ok, PlatformControls.Judge(PlatformControls.AuditImmutability, PlatformControls.AuditImmutabilityFromHeader("audit", true)).Severity);
    }

    [Fact]
    public void Soft_delete_on_the_keyring_account_fails_because_a_shred_would_not_be_final()
    {
        var check = PlatformControls.Judge(PlatformControls.KeyringSoftDelete, PlatformControls.KeyringSoftDeleteFromPolicy("keyacct", softDeleteEnabled: true, days: 7));

        Assert.Equal(DoctorSeverity.Fail, check.Severity);
        Assert.Contains("7 days", check.Detail, StringComparison.Ordinal);
        Assert.Contains("--enable-delete-retention false", check.Fix, StringComparison.Ordinal);
        Assert.Equal(DoctorSeverity.Ok, PlatformControls.Judge(PlatformControls.KeyringSoftDelete, PlatformControls.KeyringSoftDeleteFromPolicy("keyacct", false, null)).Severity);
    }

    [Theory]
    [InlineData("Recoverable", "Ok")]
    [InlineData("CustomizedRecoverable", "Ok")]
    [InlineData("Recoverable+Purgeable", "Fail")]
    [InlineData("CustomizedRecoverable+Purgeable", "Fail")]
    [InlineData("Purgeable", "Fail")]
    [InlineData(null, "Warn")]
    [InlineData("SomethingNew", "Warn")]
    public void Purge_protection_is_read_from_the_kek_recovery_level(string? recoveryLevel, string severity)
    {
        var expected = Enum.Parse<DoctorSeverity>(severity);
        var check = PlatformControls.Judge(PlatformControls.PurgeProtection, PlatformControls.PurgeProtectionFromRecoveryLevel("vault/keys/kek", recoveryLevel));

        Assert.Equal(expected, check.Severity);
        if (expected == DoctorSeverity.Fail)
        {
            Assert.Contains("--enable-purge-protection true", check.Fix, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Every_control_is_reported_once_in_a_fixed_order()
    {
        var checks = await PlatformControls.EvaluateAsync(new FakePlatformProbe(Good, Good, Good, Good, Good), TestContext.Current.CancellationToken);

        Assert.Equal([PlatformControls.SharedKey, PlatformControls.AuditImmutability, PlatformControls.KeyringSoftDelete, PlatformControls.PurgeProtection, PlatformControls.HttpsOnly], checks.Select(c => c.Check));
        Assert.All(checks, c => Assert.Equal(DoctorSeverity.Ok, c.Severity));
    }

    [Fact]
    public async Task A_probe_that_throws_is_a_warning_naming_the_failure_and_the_other_controls_are_still_read()
    {
        var checks = await PlatformControls.EvaluateAsync(new FakePlatformProbe(sharedKey: null, Good, Good, Good, Good), TestContext.Current.CancellationToken);

        var sharedKey = Assert.Single(checks, c => c.Check == PlatformControls.SharedKey);
        Assert.Equal(DoctorSeverity.Warn, sharedKey.Severity);
        Assert.Contains(nameof(HttpRequestException), sharedKey.Detail, StringComparison.Ordinal);
        Assert.Equal(4, checks.Count(c => c.Severity == DoctorSeverity.Ok));
    }

    [Fact]
    public async Task A_control_that_does_not_apply_is_skipped_not_failed()
    {
        var checks = await PlatformControls.EvaluateAsync(
            new FakePlatformProbe(Good, Good, Good, PlatformReading.NotApplicable("the archive uses a local KEK"), Good), TestContext.Current.CancellationToken);

        var purge = Assert.Single(checks, c => c.Check == PlatformControls.PurgeProtection);
        Assert.Equal(DoctorSeverity.Skipped, purge.Severity);
        Assert.Null(purge.Fix);
    }

    [Fact]
    public void Against_the_local_emulator_all_five_controls_are_skipped()
    {
        var checks = PlatformControls.NotApplicable("the local emulator");

        Assert.Equal(5, checks.Count);
        Assert.All(checks, c => Assert.Equal(DoctorSeverity.Skipped, c.Severity));
    }
}
