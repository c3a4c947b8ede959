using Azure.Storage.Blobs.Models;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Cli.Commands.Doctor;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Cli.Tests.Doctor;

/// <summary>
/// The platform probe's data-plane reads against a private Azurite (service properties and container properties are
/// what a real account answers too); doctor itself skips the platform controls there.
/// </summary>
public sealed class PlatformProbeAzuriteTests : IClassFixture<AzuriteFixture>
{
    private readonly AzuriteFixture _azurite;

    public PlatformProbeAzuriteTests(AzuriteFixture azurite) => _azurite = azurite;

    private AzurePlatformProbe Probe(string auditContainer) =>
        new(_azurite.Connection, _azurite.Connection, auditContainer, kekId: null, () => throw new InvalidOperationException("no credential is needed here"), new HttpClient());

    [Fact]
    public async Task The_keyring_soft_delete_setting_is_read_from_blob_service_properties_and_judged()
    {
        var ct = TestContext.Current.CancellationToken;
        var blobs = _azurite.Connection.Blobs;

        var properties = (await blobs.GetPropertiesAsync(ct)).Value;
        async Task SoftDeleteAsync(BlobRetentionPolicy policy)
        {
            properties.DeleteRetentionPolicy = policy;
            await blobs.SetPropertiesAsync(properties, ct);
        }

        await SoftDeleteAsync(new BlobRetentionPolicy { Enabled = false });
        var off = PlatformControls.Judge(PlatformControls.KeyringSoftDelete, await Probe("audit").KeyringSoftDeleteOffAsync(ct));
        await SoftDeleteAsync(new BlobRetentionPolicy { Enabled = true, Days = 7 });
        var on = PlatformControls.Judge(PlatformControls.KeyringSoftDelete, await Probe("audit").KeyringSoftDeleteOffAsync(ct));
        await SoftDeleteAsync(new BlobRetentionPolicy { Enabled = false });

        Assert.Equal(DoctorSeverity.Ok, off.Severity);
        Assert.Equal(DoctorSeverity.Fail, on.Severity);
        Assert.Contains("7 days", on.Detail, StringComparison.Ordinal);
        Assert.Contains("--enable-delete-retention false", on.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_audit_container_without_a_worm_policy_fails_with_the_fix()
    {
        var ct = TestContext.Current.CancellationToken;
        var audit = await _azurite.CreateContainerAsync("audit", cancellationToken: ct);

        var check = PlatformControls.Judge(PlatformControls.AuditImmutability, await Probe(audit.Name).AuditImmutableAsync(ct));

        Assert.Equal(DoctorSeverity.Fail, check.Severity);
        Assert.Contains(audit.Name, check.Detail, StringComparison.Ordinal);
        Assert.Contains("immutability-policy create", check.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_audit_container_cannot_be_read_and_is_a_warning()
    {
        var ct = TestContext.Current.CancellationToken;

        var check = PlatformControls.Judge(PlatformControls.AuditImmutability, await Probe(AzuriteFixture.UniqueName("absent")).AuditImmutableAsync(ct));

        Assert.Equal(DoctorSeverity.Warn, check.Severity);
        Assert.Contains("404", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Purge_protection_does_not_apply_with_a_local_kek()
    {
        var reading = await Probe("audit").PurgeProtectionAsync(TestContext.Current.CancellationToken);

        Assert.Equal(DoctorSeverity.Skipped, PlatformControls.Judge(PlatformControls.PurgeProtection, reading).Severity);
    }

    [Fact]
    public async Task Doctor_reports_every_platform_control_as_skipped_against_azurite()
    {
        var settings = ArchiveSettings.FromValues(new Dictionary<string, string> { ["CloudArchive:Storage:ConnectionString"] = _azurite.ConnectionString }, "test");

        var checks = await ArchiveDoctor.CheckPlatformAsync(settings, _azurite.Connection, TestContext.Current.CancellationToken);

        Assert.Equal(5, checks.Count);
        Assert.All(checks, c =>
        {
            Assert.Equal(DoctorSeverity.Skipped, c.Severity);
            Assert.Contains("Azurite", c.Detail, StringComparison.Ordinal);
        });
    }
}
