using System.Buffers.Text;
using System.Text.Json;
using CloudArchive.Core.Identity;

namespace CloudArchive.Functions.Research;

/// <summary>
/// Reads the identity App Service Authentication asserts in <c>X-MS-CLIENT-PRINCIPAL</c> (base64 JSON
/// <c>{"claims":[{"typ":..,"val":..}]}</c>) and <c>X-MS-CLIENT-PRINCIPAL-ID</c>. The header proves nothing by itself —
/// anyone who reaches the app directly can write it — so it is never a source of identity, roles or groups: it is read
/// only when <c>WEBSITE_AUTH_ENABLED=True</c>, and only to check that it names the same caller (object id and tenant)
/// as the access token the app validated itself.
/// </summary>
public static class ClientPrincipalParser
{
    /// <summary>The base64 JSON claims header.</summary>
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";

    /// <summary>The caller id header.</summary>
    public const string PrincipalIdHeader = "X-MS-CLIENT-PRINCIPAL-ID";

    /// <summary>Largest header read (base64 characters); a larger one cannot agree with anything and is refused unread.</summary>
    public const int MaxHeaderLength = 64 * 1024;

    private const int MaxClaims = 2048;

    private static readonly string[] ObjectIdClaims = ["http://schemas.microsoft.com/identity/claims/objectidentifier", "oid"];

    private static readonly string[] TenantIdClaims = ["http://schemas.microsoft.com/identity/claims/tenantid", "tid"];

    /// <summary>
    /// True when the headers are absent or name exactly <paramref name="principal"/>: one principal header whose object
    /// id and tenant claims are present and equal the token's, and an id header, if any, equal to the object id.
    /// </summary>
    /// <param name="principalHeader">The <c>X-MS-CLIENT-PRINCIPAL</c> value(s).</param>
    /// <param name="principalIdHeader">The <c>X-MS-CLIENT-PRINCIPAL-ID</c> value(s).</param>
    /// <param name="principal">The caller the validated token names.</param>
    /// <param name="reason">Why they disagree (a code for the log, never header content).</param>
    public static bool AgreesWith(IReadOnlyList<string?> principalHeader, IReadOnlyList<string?> principalIdHeader, ArchivePrincipal principal, out string reason)
    {
        ArgumentNullException.ThrowIfNull(principalHeader);
        ArgumentNullException.ThrowIfNull(principalIdHeader);
        ArgumentNullException.ThrowIfNull(principal);
        reason = string.Empty;
        if (principalHeader.Count > 1 || principalIdHeader.Count > 1)
        {
            reason = "repeated";
            return false;
        }

        if (principalIdHeader.Count == 1 && !string.IsNullOrWhiteSpace(principalIdHeader[0])
            && ArchivePrincipal.NormalizeGuid(principalIdHeader[0]!.Trim()) != principal.ObjectId)
        {
            reason = "id-mismatch";
            return false;
        }

        if (principalHeader.Count == 0 || string.IsNullOrWhiteSpace(principalHeader[0]))
        {
            return true;
        }

        if (!TryRead(principalHeader[0]!.Trim(), out var objectId, out var tenantId, out reason))
        {
            return false;
        }

        if (objectId != principal.ObjectId || tenantId != principal.TenantId)
        {
            reason = "principal-mismatch";
            return false;
        }

        return true;
    }

    private static bool TryRead(string encoded, out string? objectId, out string? tenantId, out string reason)
    {
        objectId = null;
        tenantId = null;
        if (encoded.Length > MaxHeaderLength || DecodeBase64(encoded) is not { } bytes)
        {
            reason = "unreadable";
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 8 });
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("claims", out var claims)
                || claims.ValueKind != JsonValueKind.Array
                || claims.GetArrayLength() > MaxClaims)
            {
                reason = "unreadable";
                return false;
            }

            foreach (var claim in claims.EnumerateArray())
            {
                if (claim.ValueKind != JsonValueKind.Object
                    || !claim.TryGetProperty("typ", out var typ) || typ.ValueKind != JsonValueKind.String
                    || !claim.TryGetProperty("val", out var val) || val.ValueKind != JsonValueKind.String)
                {
                    reason = "unreadable";
                    return false;
                }

                var type = typ.GetString()!;
                var value = ArchivePrincipal.NormalizeGuid(val.GetString());
                // Two different values of one claim cannot both be the platform's: refuse instead of choosing.
                if (ObjectIdClaims.Contains(type, StringComparer.Ordinal) && !Set(ref objectId, value))
                {
                    reason = "principal-mismatch";
                    return false;
                }

                if (TenantIdClaims.Contains(type, StringComparer.Ordinal) && !Set(ref tenantId, value))
                {
                    reason = "principal-mismatch";
                    return false;
                }
            }
        }
        catch (JsonException)
        {
            reason = "unreadable";
            return false;
        }

        reason = objectId is null || tenantId is null ? "principal-incomplete" : string.Empty;
        return reason.Length == 0;
    }

    private static bool Set(ref string? slot, string? value)
    {
        if (value is null || (slot is not null && slot != value))
        {
            return false;
        }

        slot = value;
        return true;
    }

    private static byte[]? DecodeBase64(string encoded)
    {
        // App Service sends standard base64; base64url (and missing padding) is accepted too because some proxies
        // re-encode it that way. Nothing else is.
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
}
