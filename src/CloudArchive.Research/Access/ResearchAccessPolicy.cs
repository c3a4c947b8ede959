using CloudArchive.Core.Identity;
using CloudArchive.Research.Agreements;

namespace CloudArchive.Research.Access;

/// <summary>
/// Who may read what through the researcher API, deny by default: every operation needs the <c>Research.Read</c> app
/// role and a complete group list (no groups overage); an agreement's copies are open only to a caller the agreement
/// names (by object id or by one of the token's group ids) while the agreement is in force. The API host only carries
/// the decision out.
/// </summary>
public static class ResearchAccessPolicy
{
    /// <summary>The role every research operation needs.</summary>
    public const string RequiredRole = ArchiveRoles.ResearchRead;

    /// <summary>Whether <paramref name="principal"/> may use the researcher API at all (list agreements, and before any agreement is read): the role, then a complete group list.</summary>
    public static ResearchAccessDecision CanUseApi(ArchivePrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (!principal.HasRole(RequiredRole))
        {
            return ResearchAccessDecision.Denied(ResearchDenialReason.MissingRole);
        }

        // Refused outright rather than judged on part of the groups: the listing would silently miss agreements, and
        // the answer would depend on which groups Entra ID happened to leave out.
        return principal.GroupsIncomplete ? ResearchAccessDecision.Denied(ResearchDenialReason.GroupsOverage) : ResearchAccessDecision.Allowed;
    }

    /// <summary>Whether <paramref name="agreement"/> appears in the caller's agreement listing at <paramref name="now"/>.</summary>
    public static bool IsListed(ArchivePrincipal principal, DataSharingAgreement agreement, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        return CanUseApi(principal).IsAllowed && agreement.HasRecipient(principal.PrincipalIds) && agreement.IsInForceAt(now);
    }

    /// <summary>
    /// Whether the caller may list and fetch the copies released under an agreement at <paramref name="now"/>.
    /// </summary>
    /// <param name="principal">The authenticated caller.</param>
    /// <param name="agreement">The agreement, or null when none has the requested id.</param>
    /// <param name="now">The decision time.</param>
    /// <param name="unreadable">True when the stored agreement exists but could not be read.</param>
    public static ResearchAccessDecision CanUseAgreement(ArchivePrincipal principal, DataSharingAgreement? agreement, DateTimeOffset now, bool unreadable = false)
    {
        var api = CanUseApi(principal);
        if (!api.IsAllowed)
        {
            return api;
        }

        if (unreadable)
        {
            return ResearchAccessDecision.Denied(ResearchDenialReason.AgreementUnreadable);
        }

        if (agreement is null)
        {
            return ResearchAccessDecision.Denied(ResearchDenialReason.UnknownAgreement);
        }

        if (!agreement.HasRecipient(principal.PrincipalIds))
        {
            return ResearchAccessDecision.Denied(ResearchDenialReason.NotRecipient);
        }

        if (agreement.IsInForceAt(now))
        {
            return ResearchAccessDecision.Allowed;
        }

        return ResearchAccessDecision.Denied(agreement.Status == AgreementStatus.Closed
            ? ResearchDenialReason.AgreementClosed
            : now < agreement.ValidFrom ? ResearchDenialReason.AgreementNotYetValid : ResearchDenialReason.AgreementExpired);
    }
}
