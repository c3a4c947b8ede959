using System.Net;

namespace CloudArchive.Functions.Research;

/// <summary>
/// The caller as App Service Authentication describes it: the Entra object id (always a GUID) and the ids of the
/// groups in the token. Agreements name recipients by these ids, so they are all that authorization needs.
/// </summary>
public sealed class ClientPrincipal
{
    /// <summary>Creates a principal.</summary>
    /// <param name="objectId">The caller's Entra object id (lowercase GUID).</param>
    /// <param name="groupIds">Group object ids from the <c>groups</c> claims (lowercase GUIDs).</param>
    /// <param name="upn">User principal name when present and well-formed (audit only).</param>
    /// <param name="clientIp">The client address for the audit trail, if known.</param>
    public ClientPrincipal(string objectId, IReadOnlyList<string> groupIds, string? upn, IPAddress? clientIp)
    {
        ObjectId = objectId ?? throw new ArgumentNullException(nameof(objectId));
        GroupIds = groupIds ?? throw new ArgumentNullException(nameof(groupIds));
        Upn = upn;
        ClientIp = clientIp;
    }

    /// <summary>The caller's object id (lowercase GUID); the rate-limit partition and audit actor.</summary>
    public string ObjectId { get; }

    /// <summary>The caller's group ids (lowercase GUIDs).</summary>
    public IReadOnlyList<string> GroupIds { get; }

    /// <summary>User principal name, if present and well-formed.</summary>
    public string? Upn { get; }

    /// <summary>The client address, if known.</summary>
    public IPAddress? ClientIp { get; }

    /// <summary>Object id followed by group ids: the ids an agreement's recipients are matched against.</summary>
    public IEnumerable<string> PrincipalIds => GroupIds.Prepend(ObjectId);
}
