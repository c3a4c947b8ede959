using CloudArchive.Core.DicomWeb.Clinical;
using CloudArchive.Core.Identity;
using Xunit;

namespace CloudArchive.Core.Tests.DicomWeb.Clinical;

public sealed class ClinicalAccessPolicyTests
{
    private static readonly ClinicalDicomWebOptions Options = new();

    private static ArchivePrincipal Principal(params string[] roles) =>
        new("72f988bf-86f1-41af-91ab-2d7cd011db47", Guid.NewGuid().ToString("D"), roles, []);

    [Fact]
    public void Archive_read_with_a_configured_purpose_is_allowed_and_carries_the_purpose()
    {
        var decision = ClinicalAccessPolicy.Decide(Principal(ArchiveRoles.ArchiveRead), "TREAT", Options);
        Assert.True(decision.IsAllowed);
        Assert.Equal("TREAT", decision.PurposeOfUse);
        Assert.Equal(string.Empty, decision.Code);
    }

    [Theory]
    [InlineData(ArchiveRoles.ResearchRead)]
    [InlineData(ArchiveRoles.ArchiveUpload)]
    [InlineData(ArchiveRoles.ArchiveAdmin)]
    public void Other_roles_are_denied_as_missing_role_before_the_purpose_is_looked_at(string role)
    {
        var decision = ClinicalAccessPolicy.Decide(Principal(role), "TREAT", Options);
        Assert.Equal(ClinicalDenialReason.MissingRole, decision.Reason);
        Assert.False(decision.IsBadRequest);
        Assert.Equal("missing-role", decision.Code);
        Assert.Null(decision.PurposeOfUse);
    }

    [Theory]
    [InlineData(null, ClinicalDenialReason.MissingPurpose)]
    [InlineData("", ClinicalDenialReason.MissingPurpose)]
    [InlineData("HRESCH", ClinicalDenialReason.UnknownPurpose)]
    [InlineData("treat", ClinicalDenialReason.UnknownPurpose)]
    [InlineData(" TREAT", ClinicalDenialReason.UnknownPurpose)]
    [InlineData("TREAT,ETREAT", ClinicalDenialReason.UnknownPurpose)]
    [InlineData("TRE\u00C4T", ClinicalDenialReason.UnknownPurpose)]
    public void A_missing_or_unaccepted_purpose_is_a_bad_request(string? purpose, ClinicalDenialReason reason)
    {
        var decision = ClinicalAccessPolicy.Decide(Principal(ArchiveRoles.ArchiveRead), purpose, Options);
        Assert.Equal(reason, decision.Reason);
        Assert.True(decision.IsBadRequest);
        if (!string.IsNullOrEmpty(purpose))
        {
            Assert.DoesNotContain(purpose, decision.CallerMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Only_the_configured_purposes_are_accepted()
    {
        var options = new ClinicalDicomWebOptions { PurposesOfUse = "ETREAT" };
        Assert.False(ClinicalAccessPolicy.Decide(Principal(ArchiveRoles.ArchiveRead), "TREAT", options).IsAllowed);
        Assert.True(ClinicalAccessPolicy.Decide(Principal(ArchiveRoles.ArchiveRead), "ETREAT", options).IsAllowed);
    }

    [Theory]
    [InlineData("", "at least one")]
    [InlineData("TREAT;treat", "'treat'")]
    [InlineData("TREAT;T", "'T'")]
    public void Invalid_purpose_settings_are_reported(string purposes, string problem)
    {
        var problems = new ClinicalDicomWebOptions { PurposesOfUse = purposes }.Validate();
        Assert.Contains(problems, p => p.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Out_of_range_limits_are_reported_and_the_defaults_are_valid()
    {
        Assert.Empty(new ClinicalDicomWebOptions().Validate());
        Assert.Equal(2, new ClinicalDicomWebOptions { MaxResults = 0, MaxCandidates = -1 }.Validate().Count);
    }
}
