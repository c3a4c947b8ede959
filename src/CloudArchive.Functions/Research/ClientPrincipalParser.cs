using System.Buffers.Text;
using System.Net;
using System.Text.Json;

namespace CloudArchive.Functions.Research;

/// <summary>
/// Reads the caller from the headers App Service Authentication injects: <c>X-MS-CLIENT-PRINCIPAL</c> (base64 JSON
/// <c>{"auth_typ":..,"claims":[{"typ":..,"val":..}],"name_typ":..,"role_typ":..}</c>) and
/// <c>X-MS-CLIENT-PRINCIPAL-ID</c>. The platform strips these headers from outside requests, so in Azure they can be
/// trusted; locally nothing is in front of the app and they are whatever the client sends (development only).
/// Anything malformed is refused rather than guessed at: a principal is accepted only with a GUID object id.
/// </summary>
public static class ClientPrincipalParser
{
    /// <summary>The base64 JSON claims header.</summary>
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";

    /// <summary>The caller id header (must agree with the object id claim when present).</summary>
    public const string PrincipalIdHeader = "X-MS-CLIENT-PRINCIPAL-ID";

    /// <summary>The object id claim after App Service's default claim mapping.</summary>
    public const string ObjectIdClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";

    /// <summary>The short object id claim (tokens without claim mapping).</summary>
    public const string ShortObjectIdClaim = "oid";

    /// <summary>The group membership claim.</summary>
    public const string GroupsClaim = "groups";

    /// <summary>The group claim type some mappings produce.</summary>
    public const string MappedGroupsClaim = "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups";

    /// <summary>
    /// Largest accepted header (base64 characters). Tokens with very many groups switch to the "groups overage"
    /// claim instead of growing further, so a real header stays far below this; a larger one is refused unread.
    /// </summary>
    public const int MaxHeaderLength = 64 * 1024;

    private const int MaxClaims = 2048;

    private static readonly string[] UpnClaims =
    [
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn",
        "upn",
        "preferred_username",
    ];

    /// <summary>
    /// Parses the headers. Returns null (and a short reason for the log, never header content) when the principal is
    /// missing or malformed.
    /// </summary>
    /// <param name="principalHeader">The <c>X-MS-CLIENT-PRINCIPAL</c> value(s).</param>
    /// <param name="principalIdHeader">The <c>X-MS-CLIENT-PRINCIPAL-ID</c> value(s).</param>
    /// <param name="clientIp">The client address for the audit trail.</param>
    /// <param name="reason">Why parsing failed.</param>
    public static ClientPrincipal? TryParse(IReadOnlyList<string?> principalHeader, IReadOnlyList<string?> principalIdHeader, IPAddress? clientIp, out string reason)
    {
        ArgumentNullException.ThrowIfNull(principalHeader);
        ArgumentNullException.ThrowIfNull(principalIdHeader);
        if (principalHeader.Count == 0 || string.IsNullOrWhiteSpace(principalHeader[0]))
        {
            reason = "missing";
            return null;
        }

        if (principalHeader.Count > 1 || principalIdHeader.Count > 1)
        {
            // Two principals in one request cannot both be from the platform: refuse instead of choosing one.
            reason = "repeated";
            return null;
        }

        var encoded = principalHeader[0]!.Trim();
        if (encoded.Length > MaxHeaderLength)
        {
            reason = "too-large";
            return null;
        }

        var bytes = DecodeBase64(encoded);
        if (bytes is null)
        {
            reason = "not-base64";
            return null;
        }

        string? objectId = null;
        var groups = new List<string>();
        string? upn = null;
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 8 });
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("claims", out var claims)
                || claims.ValueKind != JsonValueKind.Array
                || claims.GetArrayLength() > MaxClaims)
            {
                reason = "no-claims";
                return null;
            }

            foreach (var claim in claims.EnumerateArray())
            {
                if (claim.ValueKind != JsonValueKind.Object
                    || !claim.TryGetProperty("typ", out var typElement) || typElement.ValueKind != JsonValueKind.String
                    || !claim.TryGetProperty("val", out var valElement) || valElement.ValueKind != JsonValueKind.String)
                {
                    reason = "bad-claim";
                    return null;
                }

                var typ = typElement.GetString()!;
                var val = valElement.GetString()!;
                if (typ is ObjectIdClaim or ShortObjectIdClaim)
                {
                    var normalized = NormalizeGuid(val);
                    if (normalized is null || (objectId is not null && objectId != normalized))
                    {
                        reason = "bad-object-id";
                        return null;
                    }

                    objectId = normalized;
                }
                else if (typ is GroupsClaim or MappedGroupsClaim)
                {
                    // Only GUID group ids can match a recipient; anything else (names, overage markers) is ignored.
                    if (NormalizeGuid(val) is { } group && !groups.Contains(group, StringComparer.Ordinal))
                    {
                        groups.Add(group);
                    }
                }
                else if (upn is null && UpnClaims.Contains(typ, StringComparer.Ordinal) && IsPlausibleUpn(val))
                {
                    upn = val;
                }
            }
        }
        catch (JsonException)
        {
            reason = "not-json";
            return null;
        }

        if (objectId is null)
        {
            reason = "no-object-id";
            return null;
        }

        if (principalIdHeader.Count == 1 && !string.IsNullOrWhiteSpace(principalIdHeader[0])
            && NormalizeGuid(principalIdHeader[0]!.Trim()) != objectId)
        {
            reason = "id-mismatch";
            return null;
        }

        reason = string.Empty;
        return new ClientPrincipal(objectId, groups, upn, clientIp);
    }

    /// <summary>Encodes a principal header value the way App Service does (used by tests and the CLI's dev mode).</summary>
    public static string Encode(string objectId, IEnumerable<string>? groupIds = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(objectId);
        var claims = new List<object> { new { typ = ObjectIdClaim, val = objectId } };
        claims.AddRange((groupIds ?? []).Select(g => new { typ = GroupsClaim, val = g }));
        var json = JsonSerializer.SerializeToUtf8Bytes(new { auth_typ = "aad", claims, name_typ = "name", role_typ = "roles" });
        return Convert.ToBase64String(json);
    }

    private static byte[]? DecodeBase64(string encoded)
    {
        // App Service sends standard base64; base64url (and missing padding) is accepted too because some proxies
        // and tools re-encode it that way. Nothing else is.
        var standard = encoded.Replace('-', '+').Replace('_', '/');
        var padding = (4 - (standard.Length % 4)) % 4;
        if (padding == 3)
        {
            return null;
        }

        standard += new string('=', padding);
        var buffer = new byte[Base64.GetMaxDecodedFromUtf8Length(standard.Length)];
        return Convert.TryFromBase64String(standard, buffer, out var written) ? buffer[..written] : null;
    }

    private static string? NormalizeGuid(string? value) =>
        value is { Length: 36 } && Guid.TryParseExact(value, "D", out var guid) ? guid.ToString("D") : null;

    private static bool IsPlausibleUpn(string value) =>
        value.Length is > 2 and <= 255 && value.Count(c => c == '@') == 1 && value.All(c => char.IsAsciiLetterOrDigit(c) || "._%+'-@".Contains(c, StringComparison.Ordinal));
}
