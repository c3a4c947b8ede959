using System.Globalization;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Azure.Tests.Storage.Support;
using Xunit;

namespace CloudArchive.Azure.Tests.Storage.Blobs;

/// <summary>Azurite does not implement immutability, legal hold or versions: these check the exact requests against a recorder.</summary>
public sealed class ImmutabilityRequestShapeTests
{
    private const string Key = "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0xMjM0NTY3ODkwMTIzNDU2Nzg5MA==";
    private static readonly DateTimeOffset Until = new(2036, 1, 31, 12, 30, 15, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static (BlobClient Blob, RecordingTransport Transport) Connect(bool? immutabilitySupported, Func<RecordedRequest, StubResponse>? responder = null)
    {
        var transport = new RecordingTransport(responder ?? (r => new StubResponse(200, null,
            ("x-ms-request-id", "req-1"),
            ("x-ms-immutability-policy-until-date", "Thu, 31 Jan 2036 12:30:15 GMT"),
            ("x-ms-immutability-policy-mode", r.Header("x-ms-immutability-policy-mode") ?? "unlocked"),
            ("x-ms-legal-hold", r.Header("x-ms-legal-hold") ?? "false"))));
        var options = new StorageOptions { Transport = transport, ImmutabilitySupported = immutabilitySupported };
        var connection = StorageConnection.FromConnectionString($"DefaultEndpointsProtocol=https;AccountName=archiveacct;AccountKey={Key};EndpointSuffix=core.windows.net", options);
        return (connection.Blobs.GetContainer("archive").GetBlob("studies/K1/I1.dcm.enc"), transport);
    }

    [Fact]
    public async Task Set_immutability_policy_is_a_signed_put_with_comp_until_date_and_mode()
    {
        var (blob, transport) = Connect(immutabilitySupported: null);
        var policy = await blob.SetImmutabilityPolicyAsync(new BlobImmutabilityPolicy(Until, BlobImmutabilityMode.Unlocked), cancellationToken: Ct);

        var request = Assert.Single(transport.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal("/archive/studies/K1/I1.dcm.enc", request.Uri.AbsolutePath);
        Assert.Equal(new Dictionary<string, string> { ["comp"] = "immutabilityPolicies" }, request.Query);
        Assert.Equal("Thu, 31 Jan 2036 12:30:15 GMT", request.Header("x-ms-immutability-policy-until-date"));
        Assert.Equal("Unlocked", request.Header("x-ms-immutability-policy-mode"));
        Assert.Equal(StorageApi.Version, request.Header("x-ms-version"));
        Assert.StartsWith("SharedKey archiveacct:", request.Header("Authorization"), StringComparison.Ordinal);
        Assert.Empty(request.Body);
        Assert.Equal(Until, policy.ExpiresOn);
        Assert.Equal(BlobImmutabilityMode.Unlocked, policy.Mode);
    }

    [Fact]
    public async Task Locked_policy_for_one_version_carries_versionid_and_mode_locked()
    {
        var (blob, transport) = Connect(immutabilitySupported: true);
        var policy = await blob.SetImmutabilityPolicyAsync(new BlobImmutabilityPolicy(Until, BlobImmutabilityMode.Locked), "2026-11-22T00:00:00.0000000Z", Ct);
        var request = Assert.Single(transport.Requests);
        Assert.Equal("immutabilityPolicies", request.Query["comp"]);
        Assert.Equal("2026-11-22T00:00:00.0000000Z", request.Query["versionid"]);
        Assert.Equal("Locked", request.Header("x-ms-immutability-policy-mode"));
        Assert.Equal(BlobImmutabilityMode.Locked, policy.Mode);
    }

    [Fact]
    public async Task Delete_immutability_policy_is_a_delete_with_comp_immutabilityPolicies()
    {
        var (blob, transport) = Connect(immutabilitySupported: true);
        await blob.DeleteImmutabilityPolicyAsync(cancellationToken: Ct);
        var request = Assert.Single(transport.Requests);
        Assert.Equal("DELETE", request.Method);
        Assert.Equal(new Dictionary<string, string> { ["comp"] = "immutabilityPolicies" }, request.Query);
        Assert.Null(request.Header("x-ms-delete-snapshots"));
    }

    [Theory]
    [InlineData(true, "true")]
    [InlineData(false, "false")]
    public async Task Legal_hold_is_a_put_with_comp_legalhold_and_the_flag(bool hold, string wire)
    {
        var (blob, transport) = Connect(immutabilitySupported: true);
        Assert.Equal(hold, await blob.SetLegalHoldAsync(hold, cancellationToken: Ct));
        var request = Assert.Single(transport.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal(new Dictionary<string, string> { ["comp"] = "legalhold" }, request.Query);
        Assert.Equal(wire, request.Header("x-ms-legal-hold"));
    }

    [Fact]
    public async Task Upload_can_set_policy_and_legal_hold_atomically_with_the_write()
    {
        var (blob, transport) = Connect(immutabilitySupported: true, _ => new StubResponse(201, null, ("ETag", "\"0x1\""), ("x-ms-version-id", "v1")));
        var result = await blob.UploadAsync(TestData.Utf8("ciphertext"), new BlobUploadOptions
        {
            ImmutabilityPolicy = new BlobImmutabilityPolicy(Until, BlobImmutabilityMode.Unlocked),
            LegalHold = true,
            Conditions = BlobRequestConditions.CreateOnly,
        }, Ct);
        var request = Assert.Single(transport.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal("BlockBlob", request.Header("x-ms-blob-type"));
        Assert.Equal("Thu, 31 Jan 2036 12:30:15 GMT", request.Header("x-ms-immutability-policy-until-date"));
        Assert.Equal("Unlocked", request.Header("x-ms-immutability-policy-mode"));
        Assert.Equal("true", request.Header("x-ms-legal-hold"));
        Assert.Equal("*", request.Header("If-None-Match"));
        Assert.Equal("v1", result.VersionId);
    }

    [Fact]
    public async Task When_switched_off_immutability_calls_throw_not_supported_and_send_nothing()
    {
        var (blob, transport) = Connect(immutabilitySupported: false);
        var ex = await Assert.ThrowsAsync<NotSupportedException>(() => blob.SetImmutabilityPolicyAsync(new BlobImmutabilityPolicy(Until, BlobImmutabilityMode.Unlocked), cancellationToken: Ct));
        Assert.Contains(StorageOptions.SettingKeys.ImmutabilitySupported, ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<NotSupportedException>(() => blob.SetLegalHoldAsync(true, cancellationToken: Ct));
        await Assert.ThrowsAsync<NotSupportedException>(() => blob.DeleteImmutabilityPolicyAsync(cancellationToken: Ct));
        await Assert.ThrowsAsync<NotSupportedException>(() => blob.UploadAsync(TestData.Utf8("x"), new BlobUploadOptions { LegalHold = true }, Ct));
        Assert.Empty(transport.Requests);
    }

    [Fact]
    public async Task Delete_of_one_version_sends_versionid_and_no_snapshot_header()
    {
        var (blob, transport) = Connect(immutabilitySupported: true, _ => new StubResponse(202));
        await blob.DeleteAsync(new BlobDeleteOptions { VersionId = "2026-11-22T01:02:03.0000000Z" }, Ct);
        var request = Assert.Single(transport.Requests);
        Assert.Equal("DELETE", request.Method);
        Assert.Equal(new Dictionary<string, string> { ["versionid"] = "2026-11-22T01:02:03.0000000Z" }, request.Query);
        Assert.Null(request.Header("x-ms-delete-snapshots"));
        await Assert.ThrowsAsync<ArgumentException>(() => blob.DeleteAsync(new BlobDeleteOptions { VersionId = "v", IncludeSnapshots = true }, Ct));
    }

    [Fact]
    public async Task Immutability_is_off_by_default_for_loopback_and_ip_endpoints_and_on_for_azure()
    {
        var local = StorageConnection.FromConnectionString($"AccountName=a;AccountKey={Key};BlobEndpoint=http://127.0.0.1:10000/a");
        var ip = StorageConnection.FromConnectionString($"AccountName=a;AccountKey={Key};BlobEndpoint=http://10.1.2.3:10000/a");
        var azure = StorageConnection.FromConnectionString($"AccountName=a;AccountKey={Key}");
        var forced = StorageConnection.FromConnectionString($"AccountName=a;AccountKey={Key}", new StorageOptions { ImmutabilitySupported = false });
        Assert.False(local.ImmutabilitySupported);
        Assert.False(ip.ImmutabilitySupported);
        Assert.True(azure.ImmutabilitySupported);
        Assert.False(forced.ImmutabilitySupported);
        await Task.CompletedTask;
    }

    [Fact]
    public void Rfc1123_dates_are_whole_seconds_in_gmt()
    {
        var withMillis = new DateTimeOffset(2030, 6, 1, 8, 0, 0, 999, TimeSpan.FromHours(2));
        Assert.Equal("Sat, 01 Jun 2030 06:00:00 GMT", CloudArchive.Azure.Storage.Http.StorageHttp.Rfc1123(withMillis));
        Assert.Equal(DateTimeOffset.Parse("2030-06-01T06:00:00Z", CultureInfo.InvariantCulture), DateTimeOffset.Parse("Sat, 01 Jun 2030 06:00:00 GMT", CultureInfo.InvariantCulture));
    }
}
