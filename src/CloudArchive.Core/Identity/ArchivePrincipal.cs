namespace CloudArchive.Core.Identity;

/// <summary>
/// A caller whose identity was proven (a validated access token): the tenant and object id that identify them, the app
/// roles and group ids the token carries, and nothing a client could add on its own. Agreements name recipients by
/// object or group id; roles decide which operations are open at all.
/// </summary>
public sealed class ArchivePrincipal
{
    /// <summary>Creates a principal; ids are normalized to lowercase GUIDs.</summary>
    /// <param name="tenantId">The Entra tenant id (<c>tid</c>).</param>
    /// <param name="objectId">The caller's object id (<c>oid</c>).</param>
    /// <param name="roles">App role values (<c>roles</c>); compared exactly, as Entra ID issues them.</param>
    /// <param name="groupIds">Group object ids (<c>groups</c>); entries that are not GUIDs are dropped (they can match no recipient).</param>
    /// <param name="upn">User principal name, when the token has a well-formed one (audit only).</param>
    /// <param name="groupsIncomplete">
    /// True when the token says the caller is in more groups than it lists (Entra ID's groups overage): the group ids are
    /// then not the caller's groups, and no decision may rest on them.
    /// </param>
    /// <exception cref="ArgumentException">The tenant or object id is not a GUID.</exception>
    public ArchivePrincipal(string tenantId, string objectId, IEnumerable<string> roles, IEnumerable<string> groupIds, string? upn = null, bool groupsIncomplete = false)
    {
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(groupIds);
        TenantId = NormalizeGuid(tenantId) ?? throw new ArgumentException("The tenant id must be a GUID.", nameof(tenantId));
        ObjectId = NormalizeGuid(objectId) ?? throw new ArgumentException("The object id must be a GUID.", nameof(objectId));
        Roles = new HashSet<string>(roles.Where(r => !string.IsNullOrEmpty(r)), StringComparer.Ordinal);
        GroupIds = groupIds.Select(NormalizeGuid).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        Upn = upn;
        GroupsIncomplete = groupsIncomplete;
    }

    /// <summary>The tenant (lowercase GUID).</summary>
    public string TenantId { get; }

    /// <summary>The caller's object id (lowercase GUID): the audit actor.</summary>
    public string ObjectId { get; }

    /// <summary>The app roles granted to the caller.</summary>
    public IReadOnlySet<string> Roles { get; }

    /// <summary>The caller's group ids (lowercase GUIDs).</summary>
    public IReadOnlyList<string> GroupIds { get; }

    /// <summary>True when the token's group list is incomplete (groups overage); see the constructor.</summary>
    public bool GroupsIncomplete { get; }

    /// <summary>User principal name, if any (audit only; never used for a decision).</summary>
    public string? Upn { get; }

    /// <summary>Object id followed by group ids: the ids an agreement's recipients are matched against.</summary>
    public IEnumerable<string> PrincipalIds => GroupIds.Prepend(ObjectId);

    /// <summary>True when the token grants <paramref name="role"/>.</summary>
    public bool HasRole(string role) => Roles.Contains(role);

    /// <summary>The canonical form of a GUID (<c>D</c> format, lowercase), or null for anything else.</summary>
    public static string? NormalizeGuid(string? value) =>
        value is { Length: 36 } && Guid.TryParseExact(value, "D", out var guid) ? guid.ToString("D") : null;
}
