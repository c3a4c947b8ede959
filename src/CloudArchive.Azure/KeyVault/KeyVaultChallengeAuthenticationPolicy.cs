using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace CloudArchive.Azure.KeyVault;

/// <summary>
/// Key Vault's challenge-based bearer authentication (azure-facts §4): the first request to a vault goes without body
/// and token; the 401 <c>WWW-Authenticate</c> challenge names the authority and resource/scope; a token for that scope
/// and tenant is obtained and the request re-sent with its body. The challenge is cached per vault host for the life of the client. The
/// scope's host must be a domain suffix of the vault host, so a spoofed endpoint cannot obtain a token for another
/// resource. The base policy refuses non-HTTPS endpoints, so tokens never travel in clear.
/// </summary>
internal sealed class KeyVaultChallengeAuthenticationPolicy : BearerTokenAuthenticationPolicy
{
    private const string HeldContentProperty = "CloudArchive.KeyVault.HeldContent";
    private readonly ConcurrentDictionary<string, KeyVaultChallenge> _challenges = new(StringComparer.OrdinalIgnoreCase);
    private readonly bool _verifyResource;

    internal KeyVaultChallengeAuthenticationPolicy(TokenCredential credential, bool verifyResource)
        : base(credential, Array.Empty<string>())
    {
        _verifyResource = verifyResource;
    }

    /// <inheritdoc />
    protected override async ValueTask AuthorizeRequestAsync(HttpMessage message)
    {
        if (TryGetCachedChallenge(message) is { } challenge)
        {
            await AuthenticateAndAuthorizeRequestAsync(message, Context(message, challenge)).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    protected override void AuthorizeRequest(HttpMessage message)
    {
        if (TryGetCachedChallenge(message) is { } challenge)
        {
            AuthenticateAndAuthorizeRequest(message, Context(message, challenge));
        }
    }

    /// <inheritdoc />
    protected override async ValueTask<bool> AuthorizeRequestOnChallengeAsync(HttpMessage message)
    {
        if (AcceptChallenge(message) is not { } challenge)
        {
            return false;
        }

        await AuthenticateAndAuthorizeRequestAsync(message, Context(message, challenge)).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    protected override bool AuthorizeRequestOnChallenge(HttpMessage message)
    {
        if (AcceptChallenge(message) is not { } challenge)
        {
            return false;
        }

        AuthenticateAndAuthorizeRequest(message, Context(message, challenge));
        return true;
    }

    /// <summary>The cached challenge for this vault, or null after holding back the body for the first request.</summary>
    private KeyVaultChallenge? TryGetCachedChallenge(HttpMessage message)
    {
        if (_challenges.TryGetValue(Authority(message), out var challenge))
        {
            return challenge;
        }

        // Unknown vault: send without body so key material is not transmitted before the service has identified itself.
        if (message.Request.Content is not null)
        {
            message.SetProperty(HeldContentProperty, new HeldContent { Content = message.Request.Content });
            message.Request.Content = null;
        }

        return null;
    }

    /// <summary>Restores the held body, parses and checks the challenge, and caches it.</summary>
    private KeyVaultChallenge? AcceptChallenge(HttpMessage message)
    {
        if (message.TryGetProperty(HeldContentProperty, out var held) && held is HeldContent { Content: { } content } box)
        {
            message.Request.Content = content;
            box.Content = null;
        }

        message.Response.Headers.TryGetValue("WWW-Authenticate", out var header);
        var challenge = KeyVaultChallenge.Parse(header);
        if (challenge is null)
        {
            return null;
        }

        if (_verifyResource && !ResourceMatches(challenge, message.Request.Uri.Host ?? string.Empty))
        {
            throw new KeyVaultException("authenticate", 401, "ChallengeResourceMismatch", $"The challenge's resource does not belong to the domain of {message.Request.Uri.Host}; refusing to request a token for it.", null);
        }

        _challenges[Authority(message)] = challenge;
        return challenge;
    }

    private static string Authority(HttpMessage message) => message.Request.Uri.Host + ":" + message.Request.Uri.Port;

    private static TokenRequestContext Context(HttpMessage message, KeyVaultChallenge challenge)
        => new([challenge.Scope], parentRequestId: message.Request.ClientRequestId, tenantId: challenge.TenantId);

    private static bool ResourceMatches(KeyVaultChallenge challenge, string requestHost)
    {
        var host = challenge.ScopeHost;
        return host is not null
            && (string.Equals(host, requestHost, StringComparison.OrdinalIgnoreCase)
                || requestHost.EndsWith("." + host, StringComparison.OrdinalIgnoreCase));
    }

    private sealed class HeldContent
    {
        public RequestContent? Content { get; set; }
    }
}
