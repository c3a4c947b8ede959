using Azure.Core;
using CloudArchive.Azure.Identity;

namespace CloudArchive.Cli.Commands.Research;

/// <summary>
/// The bearer token requests to the researcher API carry: an Entra ID access token from a <see cref="TokenCredential"/>
/// for a deployed app, or — for a local function app on loopback only — a token minted with the development token
/// issuer's key file, which the local app validates on the same path as Entra ID's (docs/security.md).
/// </summary>
internal sealed class ResearchCredentials : IDisposable
{
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);
    private readonly TokenCredential? _credential;
    private readonly string? _scope;
    private readonly DevelopmentTokenIssuer? _issuer;
    private readonly DevelopmentTokenRequest? _request;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AccessToken? _token;

    private ResearchCredentials(TokenCredential? credential, string? scope, DevelopmentTokenIssuer? issuer, DevelopmentTokenRequest? request)
    {
        _credential = credential;
        _scope = scope;
        _issuer = issuer;
        _request = request;
    }

    /// <summary>True for development tokens.</summary>
    public bool IsDevelopmentPrincipal => _issuer is not null;

    /// <summary>Bearer tokens for <paramref name="scope"/> (e.g. <c>api://&lt;app-id&gt;/.default</c>) from <paramref name="credential"/>.</summary>
    public static ResearchCredentials Bearer(TokenCredential credential, string scope) => new(credential, scope, null, null);

    /// <summary>Development tokens minted by <paramref name="issuer"/> (owned from now on) for the caller <paramref name="request"/> describes.</summary>
    public static ResearchCredentials Development(DevelopmentTokenIssuer issuer, DevelopmentTokenRequest request) => new(null, null, issuer, request);

    /// <summary>Adds <c>Authorization: Bearer</c> to a request.</summary>
    public async Task ApplyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_token is not { } token || token.ExpiresOn - RefreshMargin <= DateTimeOffset.UtcNow)
            {
                token = _issuer is not null
                    ? Mint()
                    : await _credential!.GetTokenAsync(new TokenRequestContext([_scope!]), cancellationToken).ConfigureAwait(false);
                _token = token;
            }

            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.Token);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _issuer?.Dispose();
        _gate.Dispose();
    }

    private AccessToken Mint()
    {
        // Taken before minting (which stamps its own "now"), so the cached expiry is never later than the token's.
        var now = DateTimeOffset.UtcNow;
        return new AccessToken(_issuer!.Mint(_request!), now + _request!.Lifetime);
    }
}
