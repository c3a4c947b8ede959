using System.Security.Claims;
using CloudArchive.Core.Identity;
using CloudArchive.Functions.Research;
using Xunit;

namespace CloudArchive.Functions.Tests.Research;

/// <summary>What a validated token's claims make of the caller: ids, roles and groups from the token only, overage detected.</summary>
public sealed class TokenPrincipalReaderTests
{
    private const string Tenant = "00000000-0000-4000-8000-00000000c1a0";
    private const string Oid = "3B9D0C2E-5F6A-4B7C-8D9E-0F1A2B3C4D5E";
    private const string Group = "6f1c7c8e-0d5b-4a39-9a43-1b8a7f0d2c11";

    private static ClaimsPrincipal Token(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "Bearer"));

    [Fact]
    public void Ids_roles_groups_and_a_well_formed_upn_come_from_the_token_claims()
    {
        var principal = TokenPrincipalReader.Read(Token(("tid", Tenant), ("oid", Oid), ("roles", ArchiveRoles.ResearchRead), ("groups", Group), ("groups", "not-a-guid"), ("upn", "ada@example.org")));

        Assert.NotNull(principal);
        Assert.Equal(Oid.ToLowerInvariant(), principal.ObjectId);
        Assert.Equal(Tenant, principal.TenantId);
        Assert.True(principal.HasRole(ArchiveRoles.ResearchRead));
        Assert.Equal([Group], principal.GroupIds);
        Assert.Equal("ada@example.org", principal.Upn);
        Assert.False(principal.GroupsIncomplete);
    }

    [Theory]
    [InlineData("_claim_names", """{"groups":"src1"}""")]
    [InlineData("_claim_names", "{not json")]
    [InlineData("hasgroups", "true")]
    public void A_groups_overage_marker_leaves_no_groups_and_marks_them_incomplete(string claim, string value)
    {
        var principal = TokenPrincipalReader.Read(Token(("tid", Tenant), ("oid", Oid), ("roles", ArchiveRoles.ResearchRead), ("groups", Group), (claim, value)));

        Assert.NotNull(principal);
        Assert.True(principal.GroupsIncomplete);
        Assert.Empty(principal.GroupIds);
    }

    [Fact]
    public void Claim_names_without_groups_are_no_overage()
    {
        var principal = TokenPrincipalReader.Read(Token(("tid", Tenant), ("oid", Oid), ("groups", Group), ("_claim_names", """{"other":"src1"}"""), ("hasgroups", "false")));

        Assert.False(principal!.GroupsIncomplete);
        Assert.Equal([Group], principal.GroupIds);
    }

    [Theory]
    [InlineData(null, Oid)]
    [InlineData(Tenant, null)]
    [InlineData("common", Oid)]
    [InlineData(Tenant, "ada@example.org")]
    public void A_token_without_GUID_tenant_and_object_ids_names_nobody(string? tid, string? oid)
    {
        var claims = new List<(string, string)>();
        if (tid is not null)
        {
            claims.Add(("tid", tid));
        }

        if (oid is not null)
        {
            claims.Add(("oid", oid));
        }

        Assert.Null(TokenPrincipalReader.Read(Token([.. claims])));
    }

    [Fact]
    public void A_malformed_upn_is_left_out()
    {
        var principal = TokenPrincipalReader.Read(Token(("tid", Tenant), ("oid", Oid), ("upn", "ada@example.org\nforged=1")));

        Assert.Null(principal!.Upn);
    }
}
