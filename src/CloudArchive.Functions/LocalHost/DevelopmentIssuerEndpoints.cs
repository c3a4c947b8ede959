using CloudArchive.Azure.Identity;

namespace CloudArchive.Functions.LocalHost;

/// <summary>
/// Publishes the development token issuer's OpenID metadata and public keys under
/// <c>/dev-issuer/{tenant}/v2.0/</c>, as Entra ID publishes a tenant's, so the app validates development tokens on
/// exactly the path it validates Entra ID tokens (metadata → keys → signature). Mapped only by the local host and only
/// when the development issuer is configured (loopback, outside Azure: <see cref="Azure.Composition.AuthSettings"/>).
/// </summary>
internal static class DevelopmentIssuerEndpoints
{
    /// <summary>Maps the two documents for <paramref name="tenantId"/>; other tenants get 404.</summary>
    public static void Map(WebApplication app, string tenantId)
    {
        var prefix = DevelopmentTokenIssuer.PathPrefix + tenantId + "/v2.0";
        app.MapGet(prefix + "/.well-known/openid-configuration", (HttpContext http) =>
        {
            // The issuer is named after the address the metadata was fetched from: the app fetches it from itself.
            var issuer = DevelopmentTokenIssuer.IssuerUri(new Uri($"{http.Request.Scheme}://{http.Request.Host}"), tenantId);
            return Results.Text(DevelopmentTokenIssuer.OpenIdConfigurationJson(issuer), "application/json");
        });
        app.MapGet(prefix + "/discovery/keys", (DevelopmentTokenIssuer issuer) => Results.Text(issuer.JwksJson(), "application/json"));
    }
}
