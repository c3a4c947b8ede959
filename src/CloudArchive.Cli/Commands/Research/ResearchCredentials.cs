using System.Text;
using System.Text.Json;
using Azure.Core;

namespace CloudArchive.Cli.Commands.Research;

/// <summary>
/// How requests to the researcher API are authenticated: an Entra ID bearer token for a deployed app (App Service
/// Authentication validates it and injects the principal), or — for a local function app only — a self-made
/// <c>X-MS-CLIENT-PRINCIPAL</c> header, which nothing validates and which the Azure front end strips.
/// </summary>
internal sealed class ResearchCredentials
{
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);
    private readonly TokenCredential? _credential;
    private readonly string? _scope;
    private readonly string? _devPrincipalHeader;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AccessToken? _token;

    private ResearchCredentials(TokenCredential? credential, string? scope, string? devPrincipalHeader)
    {
        _credential = credential;
        _scope = scope;
        _devPrincipalHeader = devPrincipalHeader;
    }

    /// <summary>True for the development header mode.</summary>
    public bool IsDevelopmentPrincipal => _devPrincipalHeader is not null;

    /// <summary>Bearer tokens for <paramref name="scope"/> (e.g. <c>api://&lt;app-id&gt;/.default</c>) from <paramref name="credential"/>.</summary>
    public static ResearchCredentials Bearer(TokenCredential credential, string scope) => new(credential, scope, null);

    /// <summary>The development principal header (object id + group ids, all GUIDs).</summary>
    public static ResearchCredentials DevelopmentPrincipal(string objectId, IReadOnlyList<string> groupIds) =>
        new(null, null, EncodePrincipal(objectId, groupIds));

    /// <summary>Encodes an App Service client principal header: base64 of <c>{"auth_typ","claims":[{"typ","val"}],...}</c>.</summary>
    public static string EncodePrincipal(string objectId, IEnumerable<string> groupIds)
    {
        var claims = new List<Dictionary<string, string>>
        {
            new() { ["typ"] = "http://schemas.microsoft.com/identity/claims/objectidentifier", ["val"] = objectId },
        };
        claims.AddRange(groupIds.Select(g => new Dictionary<string, string> { ["typ"] = "groups", ["val"] = g }));
        var json = JsonSerializer.Serialize(new Dictionary<string, object> { ["auth_typ"] = "aad", ["claims"] = claims, ["name_typ"] = "name", ["role_typ"] = "roles" });
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Adds the authentication header to a request.</summary>
    public async Task ApplyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_devPrincipalHeader is not null)
        {
            request.Headers.Add("X-MS-CLIENT-PRINCIPAL", _devPrincipalHeader);
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_token is not { } token || token.ExpiresOn - RefreshMargin <= DateTimeOffset.UtcNow)
            {
                token = await _credential!.GetTokenAsync(new TokenRequestContext([_scope!]), cancellationToken).ConfigureAwait(false);
                _token = token;
            }

            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.Token);
        }
        finally
        {
            _gate.Release();
        }
    }
}
