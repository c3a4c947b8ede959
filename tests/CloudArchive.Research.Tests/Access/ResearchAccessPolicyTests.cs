using CloudArchive.Core.Identity;
using CloudArchive.Research.Access;
using CloudArchive.Research.Agreements;
using Xunit;

namespace CloudArchive.Research.Tests.Access;

/// <summary>The research access policy: role first, then recipient, then validity; deny by default.</summary>
public sealed class ResearchAccessPolicyTests
{
    private const string Tenant = "00000000-0000-4000-8000-00000000c1a0";
    private const string Group = "6f1c7c8e-0d5b-4a39-9a43-1b8a7f0d2c11";
    private const string Person = "3b9d0c2e-5f6a-4b7c-8d9e-0f1a2b3c4d5e";
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static ArchivePrincipal Caller(string oid, string[] roles, params string[] groups) => new(Tenant, oid, roles, groups);

    private static DataSharingAgreement Agreement(string recipient, AgreementStatus status = AgreementStatus.Active, int fromMonth = 1, int untilYear = 2027) => new()
    {
        Id = "alpha-study",
        PurposeOfUse = "HRESCH",
        Recipients = [recipient],
        ValidFrom = new DateTimeOffset(2026, fromMonth, 1, 0, 0, 0, TimeSpan.Zero),
        ValidUntil = new DateTimeOffset(untilYear, 1, 1, 0, 0, 0, TimeSpan.Zero),
        CopyRetention = "P1Y",
        CreatedAt = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero),
        CreatedBy = "privacy-officer@example.org",
        ConsentRequired = false,
        Status = status,
    };

    [Fact]
    public void A_group_member_with_Research_Read_may_use_an_agreement_in_force_that_names_the_group()
    {
        var decision = ResearchAccessPolicy.CanUseAgreement(Caller(Guid.NewGuid().ToString("D"), [ArchiveRoles.ResearchRead], Group), Agreement(Group), Now);

        Assert.True(decision.IsAllowed);
        Assert.Equal(string.Empty, decision.Code);
    }

    [Fact]
    public void A_person_named_by_object_id_may_use_the_agreement_whatever_the_case_of_the_id()
    {
        var decision = ResearchAccessPolicy.CanUseAgreement(Caller(Person.ToUpperInvariant(), [ArchiveRoles.ResearchRead]), Agreement(Person), Now);

        Assert.True(decision.IsAllowed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Archive.Read")]
    [InlineData("Archive.Admin;Archive.Upload")]
    [InlineData("research.read")] // role values are exact: Entra ID issues them as defined
    public void Without_Research_Read_even_a_named_recipient_is_denied_with_missing_role(string roles)
    {
        var caller = Caller(Person, roles.Split(';', StringSplitOptions.RemoveEmptyEntries), Group);

        var decision = ResearchAccessPolicy.CanUseAgreement(caller, Agreement(Group), Now);

        Assert.False(decision.IsAllowed);
        Assert.Equal(ResearchDenialReason.MissingRole, decision.Reason);
        Assert.Equal("missing-role", decision.Code);
        Assert.True(decision.RevealsReason);
        Assert.False(ResearchAccessPolicy.CanUseApi(caller).IsAllowed);
        Assert.False(ResearchAccessPolicy.IsListed(caller, Agreement(Group), Now));
    }

    [Fact]
    public void A_token_with_a_groups_overage_is_denied_even_for_an_agreement_naming_the_caller_by_object_id()
    {
        var caller = new ArchivePrincipal(Tenant, Person, [ArchiveRoles.ResearchRead], [Group], groupsIncomplete: true);

        var decision = ResearchAccessPolicy.CanUseAgreement(caller, Agreement(Person), Now);

        Assert.Equal(ResearchDenialReason.GroupsOverage, decision.Reason);
        Assert.Equal("groups-overage", decision.Code);
        Assert.True(decision.RevealsReason);
        Assert.False(ResearchAccessPolicy.CanUseApi(caller).IsAllowed);
        Assert.False(ResearchAccessPolicy.IsListed(caller, Agreement(Person), Now));
    }

    [Fact]
    public void Without_the_role_a_groups_overage_is_reported_as_the_missing_role()
    {
        var caller = new ArchivePrincipal(Tenant, Person, [ArchiveRoles.ArchiveRead], [], groupsIncomplete: true);

        Assert.Equal(ResearchDenialReason.MissingRole, ResearchAccessPolicy.CanUseApi(caller).Reason);
    }

    [Fact]
    public void The_role_is_checked_before_the_agreement_so_an_unknown_id_reveals_nothing_to_a_caller_without_it()
    {
        var decision = ResearchAccessPolicy.CanUseAgreement(Caller(Person, []), null, Now);

        Assert.Equal(ResearchDenialReason.MissingRole, decision.Reason);
    }

    [Fact]
    public void Unknown_unreadable_and_not_yours_are_denied_with_reasons_the_caller_is_not_told()
    {
        var caller = Caller(Person, [ArchiveRoles.ResearchRead], Group);

        var unknown = ResearchAccessPolicy.CanUseAgreement(caller, null, Now);
        var unreadable = ResearchAccessPolicy.CanUseAgreement(caller, null, Now, unreadable: true);
        var notMine = ResearchAccessPolicy.CanUseAgreement(caller, Agreement("0a4e8b52-3c1f-4d7e-8f60-9b2d5e7c4a33"), Now);

        Assert.Equal(("unknown-agreement", false), (unknown.Code, unknown.RevealsReason));
        Assert.Equal(("agreement-unreadable", false), (unreadable.Code, unreadable.RevealsReason));
        Assert.Equal(("not-recipient", false), (notMine.Code, notMine.RevealsReason));
    }

    [Fact]
    public void A_group_id_that_is_not_a_GUID_matches_nothing()
    {
        var caller = Caller(Person, [ArchiveRoles.ResearchRead], "researchers");

        Assert.Empty(caller.GroupIds);
        Assert.Equal(ResearchDenialReason.NotRecipient, ResearchAccessPolicy.CanUseAgreement(caller, Agreement("researchers"), Now).Reason);
    }

    [Theory]
    [InlineData(AgreementStatus.Closed, 1, 2027, ResearchDenialReason.AgreementClosed)]
    [InlineData(AgreementStatus.Active, 7, 2027, ResearchDenialReason.AgreementNotYetValid)]
    [InlineData(AgreementStatus.Active, 1, 2026, ResearchDenialReason.AgreementExpired)]
    public void A_recipient_is_denied_an_agreement_not_in_force_and_told_why(AgreementStatus status, int fromMonth, int untilYear, ResearchDenialReason expected)
    {
        var agreement = Agreement(Group, status, fromMonth, untilYear == 2026 ? 2026 : untilYear);
        if (untilYear == 2026)
        {
            agreement = agreement with { ValidFrom = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), ValidUntil = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero) };
        }

        var caller = Caller(Person, [ArchiveRoles.ResearchRead], Group);
        var decision = ResearchAccessPolicy.CanUseAgreement(caller, agreement, Now);

        Assert.Equal(expected, decision.Reason);
        Assert.True(decision.RevealsReason);
        Assert.False(ResearchAccessPolicy.IsListed(caller, agreement, Now));
    }

    [Fact]
    public void The_listing_shows_an_agreement_only_to_its_recipients_with_the_role_while_it_is_in_force()
    {
        var agreement = Agreement(Group);

        Assert.True(ResearchAccessPolicy.IsListed(Caller(Person, [ArchiveRoles.ResearchRead], Group), agreement, Now));
        Assert.False(ResearchAccessPolicy.IsListed(Caller(Person, [ArchiveRoles.ResearchRead]), agreement, Now));
        Assert.False(ResearchAccessPolicy.IsListed(Caller(Person, [ArchiveRoles.ResearchRead], Group), agreement, agreement.ValidUntil));
    }

    [Theory]
    [InlineData("not-a-guid", Person)]
    [InlineData(Tenant, "root")]
    [InlineData(Tenant, "")]
    public void A_principal_needs_GUID_tenant_and_object_ids(string tenant, string oid) =>
        Assert.Throws<ArgumentException>(() => new ArchivePrincipal(tenant, oid, [], []));

    [Fact]
    public void Unknown_unreadable_and_not_yours_give_the_caller_one_answer_while_a_recipient_learns_why()
    {
        var undisclosed = new[] { ResearchDenialReason.UnknownAgreement, ResearchDenialReason.AgreementUnreadable, ResearchDenialReason.NotRecipient }
            .Select(ResearchAccessDecision.Denied).ToList();

        Assert.All(undisclosed, d => Assert.Equal("forbidden", d.CallerCode));
        Assert.Single(undisclosed.Select(d => d.CallerMessage).Distinct());
        Assert.Equal("agreement-expired", ResearchAccessDecision.Denied(ResearchDenialReason.AgreementExpired).CallerCode);
        Assert.Equal("missing-role", ResearchAccessDecision.Denied(ResearchDenialReason.MissingRole).CallerCode);
        Assert.Contains(ResearchAccessPolicy.RequiredRole, ResearchAccessDecision.Denied(ResearchDenialReason.MissingRole).CallerMessage, StringComparison.Ordinal);
        Assert.Empty(ResearchAccessDecision.Allowed.CallerMessage);
    }
}
