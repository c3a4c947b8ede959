using CloudArchive.Azure.Composition;
using CloudArchive.Azure.Identity;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.IdentityModel.Tokens;

namespace CloudArchive.Functions.Hosting;

/// <summary>
/// Access-token validation for the app (docs/security.md): ASP.NET Core's JwtBearer handler, configured so that only an
/// RS256-signed, unexpired token of the configured tenant, for the archive's audience, is accepted. The signing keys
/// come from the tenant's OpenID metadata (Entra ID over https), or in loopback development from the development
/// issuer the local host itself publishes (the only case metadata is read over plain http).
/// </summary>
public static class ArchiveAuthentication
{
    /// <summary>The authentication scheme the research handler authenticates with.</summary>
    public const string Scheme = JwtBearerDefaults.AuthenticationScheme;

    /// <summary>How far a token's times may be off: small, since Entra ID and Azure clocks are synchronised.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    /// <summary>Registers the JwtBearer scheme for <paramref name="auth"/>.</summary>
    public static void AddArchiveAuthentication(this IServiceCollection services, AuthSettings auth)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(auth);

        // The handler logs why a token failed at Information, quoting the token's issuer, audience and tenant: values a
        // caller chose, kept out of the logs. The research handler logs the failure's type with the correlation id.
        services.AddLogging(logging => logging.AddFilter(typeof(JwtBearerHandler).Namespace, LogLevel.Warning));
        services.AddAuthentication(Scheme).AddJwtBearer(Scheme, options =>
        {
            // Claim names as the token has them (oid, tid, roles, groups): no mapping to legacy XML claim types that
            // could also be filled from elsewhere.
            options.MapInboundClaims = false;
            options.SaveToken = false;
            options.IncludeErrorDetails = false;
            options.RefreshOnIssuerKeyNotFound = true;
            options.TokenValidationParameters = Parameters(auth, auth.UsesDevelopmentIssuer ? [] : auth.EntraIssuers);
            if (!auth.UsesDevelopmentIssuer)
            {
                options.MetadataAddress = auth.EntraMetadataAddress.AbsoluteUri;
                options.RequireHttpsMetadata = true;
            }

            options.Events = new JwtBearerEvents
            {
                OnTokenValidated = context =>
                {
                    // The issuer names the tenant, but the tid claim is what Entra ID guarantees; both must agree.
                    var tid = context.Principal?.FindFirst("tid")?.Value;
                    if (!string.Equals(tid, auth.TenantId, StringComparison.OrdinalIgnoreCase))
                    {
                        context.Fail("The token's tenant is not the configured tenant.");
                    }

                    return Task.CompletedTask;
                },
            };
        });

        if (auth.UsesDevelopmentIssuer)
        {
            // The issuer URI contains the app's own address, known only once Kestrel listens (tests use port 0). The
            // options are built on the first authentication, after start-up, so the addresses are read then.
            services.AddOptions<JwtBearerOptions>(Scheme).Configure<IServer>((options, server) =>
            {
                var addresses = LoopbackAddresses(server);
                options.MetadataAddress = DevelopmentTokenIssuer.IssuerUri(addresses[0], auth.TenantId).AbsoluteUri + "/.well-known/openid-configuration";
                options.RequireHttpsMetadata = false;
                options.TokenValidationParameters.ValidIssuers = addresses
                    .SelectMany(LoopbackAliases)
                    .Select(a => DevelopmentTokenIssuer.IssuerUri(a, auth.TenantId).AbsoluteUri)
                    .Distinct(StringComparer.Ordinal)
                    .ToList();
            });
        }
    }

    private static TokenValidationParameters Parameters(AuthSettings auth, IReadOnlyList<string> issuers) => new()
    {
        ValidateIssuer = true,
        ValidIssuers = issuers,
        ValidateAudience = true,
        ValidAudiences = auth.Audiences,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        ClockSkew = ClockSkew,
        RequireSignedTokens = true,
        ValidateIssuerSigningKey = true,
        // RS256 only: no "none", and no HMAC, so the public key cannot be used as a shared secret.
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        NameClaimType = "oid",
        RoleClaimType = "roles",
    };

    /// <summary>The addresses the local host listens on; all must be loopback (checked again at start-up).</summary>
    private static IReadOnlyList<Uri> LoopbackAddresses(IServer server)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses.Select(a => new Uri(a)).ToList() ?? [];
        if (addresses.Count == 0 || !addresses.All(a => AuthSettings.IsLoopbackUrl(a.AbsoluteUri)))
        {
            throw new InvalidOperationException("The development token issuer is trusted only while the app listens on loopback addresses.");
        }

        return addresses;
    }

    /// <summary>One port reached as 127.0.0.1, localhost or [::1]: a CLI given any of them mints a token the app accepts.</summary>
    private static IEnumerable<Uri> LoopbackAliases(Uri address)
    {
        foreach (var host in new[] { "127.0.0.1", "localhost", "[::1]" })
        {
            yield return new UriBuilder(address) { Host = host }.Uri;
        }
    }
}
