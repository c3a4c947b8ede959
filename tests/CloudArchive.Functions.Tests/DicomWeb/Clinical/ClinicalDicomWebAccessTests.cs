using System.Net;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Identity;
using Xunit;

namespace CloudArchive.Functions.Tests.DicomWeb.Clinical;

/// <summary>Who may use <c>/api/dicomweb</c>: a token, the Archive.Read role, and an accepted purpose of use; every refusal audited.</summary>
[Collection(ClinicalDicomWebCollection.Name)]
public sealed class ClinicalDicomWebAccessTests(ClinicalDicomWebFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_request_without_a_token_is_401_with_a_bearer_challenge()
    {
        using var client = fixture.Client(Guid.NewGuid().ToString("D"), "TREAT");
        using var response = await client.GetAsync($"api/dicomweb/studies?PatientID={ClinicalDicomWebFixture.PatientA}", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task A_researcher_token_is_403_missing_role_and_audited_as_a_security_alert()
    {
        var oid = Guid.NewGuid().ToString("D");
        using var client = fixture.Client(oid, "TREAT", ArchiveRoles.ResearchRead);
        using var response = await client.GetAsync($"api/dicomweb/studies/{fixture.StudyA}", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("missing-role", await response.Content.ReadAsStringAsync(Ct));
        var line = Assert.Single(await fixture.AuditOfAsync(oid)).Event;
        Assert.Equal(AuditEventType.SecurityAlert, line.EventType);
        Assert.Contains("missing-role", line.Details);
    }

    [Theory]
    [InlineData(null, "missing-purpose-of-use")]
    [InlineData("HRESCH", "unknown-purpose-of-use")]
    [InlineData("treat", "unknown-purpose-of-use")]
    [InlineData("TREAT, ETREAT", "unknown-purpose-of-use")]
    public async Task A_missing_or_unaccepted_purpose_of_use_is_400_and_audited(string? purpose, string code)
    {
        var oid = Guid.NewGuid().ToString("D");
        using var client = fixture.Client(oid, purpose, ArchiveRoles.ArchiveRead);
        using var response = await client.GetAsync($"api/dicomweb/studies/{fixture.StudyA}", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains(code, body);
        Assert.DoesNotContain(fixture.StudyA, body);
        var line = Assert.Single(await fixture.AuditOfAsync(oid)).Event;
        Assert.Equal(AuditEventType.SecurityAlert, line.EventType);
        Assert.Contains(code, line.Details);
        Assert.Null(line.PurposeOfUse);
    }

    [Fact]
    public async Task Every_configured_purpose_is_accepted_and_recorded_in_the_audit_line()
    {
        var oid = Guid.NewGuid().ToString("D");
        using var client = fixture.Client(oid, "ETREAT", ArchiveRoles.ArchiveRead);
        using var response = await client.GetAsync($"api/dicomweb/studies/{fixture.StudyA}/metadata", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var line = Assert.Single(await fixture.AuditOfAsync(oid)).Event;
        Assert.Equal(AuditEventType.InstancesAccessed, line.EventType);
        Assert.Equal("ETREAT", line.PurposeOfUse);
        Assert.Equal(await fixture.KeyAsync(fixture.StudyA), line.Study!.Value.Value);
    }

    [Theory]
    [InlineData("api/dicomweb/nothing-here", HttpStatusCode.NotFound)]
    [InlineData("api/dicomweb/studies/1.2.03", HttpStatusCode.BadRequest)]
    [InlineData("api/dicomweb/studies/1.2.3/series/1.2.4/instances/1.2.5/frames/0", HttpStatusCode.BadRequest)]
    [InlineData("api/dicomweb/studies/1.2.3/series/1.2.4/instances/1.2.5/bulkdata/xyz", HttpStatusCode.BadRequest)]
    public async Task Unknown_resources_and_malformed_identifiers_are_refused_and_audited(string path, HttpStatusCode status)
    {
        var oid = Guid.NewGuid().ToString("D");
        using var client = fixture.Client(oid, "TREAT", ArchiveRoles.ArchiveRead);
        using var response = await client.GetAsync(path, Ct);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(AuditEventType.SecurityAlert, Assert.Single(await fixture.AuditOfAsync(oid)).Event.EventType);
    }
}
