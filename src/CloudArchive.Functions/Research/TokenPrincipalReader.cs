using System.Security.Claims;
using System.Text.Json;
using CloudArchive.Core.Identity;

namespace CloudArchive.Functions.Research;

/// <summary>
/// Turns the claims of a validated access token into an <see cref="ArchivePrincipal"/>: <c>tid</c>, <c>oid</c>,
/// <c>roles</c>, <c>groups</c> and, for the audit trail only, a well-formed UPN. Detects the groups overage (a token for
/// a member of too many groups carries a pointer to Microsoft Graph instead of the groups, <c>_claim_names</c> /
/// <c>hasgroups</c>): the app does not call Graph, so such a caller cannot be matched against group recipients.
/// </summary>
public static class TokenPrincipalReader
{
    private static readonly string[] UpnClaims = ["upn", "preferred_username"];

    /// <summary>
    /// Reads the principal, or null when the token lacks a GUID <c>tid</c> or <c>oid</c> (not an access token for a
    /// user or application of a tenant). In the groups overage the principal has no groups and
    /// <see cref="ArchivePrincipal.GroupsIncomplete"/> set, so Core's policy refuses it rather than judge on part of them.
    /// </summary>
    public static ArchivePrincipal? Read(ClaimsPrincipal token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var overage = HasGroupsOverage(token);
        var tid = token.FindFirst("tid")?.Value;
        var oid = token.FindFirst("oid")?.Value;
        if (ArchivePrincipal.NormalizeGuid(tid) is null || ArchivePrincipal.NormalizeGuid(oid) is null)
        {
            return null;
        }

        var upn = UpnClaims.Select(c => token.FindFirst(c)?.Value).FirstOrDefault(v => v is not null && IsPlausibleUpn(v));
        var groups = overage ? [] : token.FindAll("groups").Select(c => c.Value);
        return new ArchivePrincipal(tid!, oid!, token.FindAll("roles").Select(c => c.Value), groups, upn, groupsIncomplete: overage);
    }

    private static bool HasGroupsOverage(ClaimsPrincipal token)
    {
        if (token.FindFirst("hasgroups") is { } hasGroups && !string.Equals(hasGroups.Value, "false", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (token.FindFirst("_claim_names")?.Value is not { } names)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(names);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("groups", out _);
        }
        catch (JsonException)
        {
            // Unreadable: treat as overage rather than guess the groups are complete.
            return true;
        }
    }

    private static bool IsPlausibleUpn(string value) =>
        value.Length is > 2 and <= 255 && value.Count(c => c == '@') == 1 && value.All(c => char.IsAsciiLetterOrDigit(c) || "._%+'-@".Contains(c, StringComparison.Ordinal));
}
