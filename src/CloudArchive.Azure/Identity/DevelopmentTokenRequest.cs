namespace CloudArchive.Azure.Identity;

/// <summary>What a development token says about its caller (the claims a real Entra ID access token carries).</summary>
public sealed class DevelopmentTokenRequest
{
    /// <summary>The issuer (<c>iss</c>): <see cref="DevelopmentTokenIssuer.IssuerUri"/> of the app the token is for.</summary>
    public required Uri Issuer { get; init; }

    /// <summary>The audience (<c>aud</c>): the archive's app registration. Default <see cref="DevelopmentTokenIssuer.DefaultAudience"/>.</summary>
    public string Audience { get; init; } = DevelopmentTokenIssuer.DefaultAudience;

    /// <summary>The tenant (<c>tid</c>). Default <see cref="DevelopmentTokenIssuer.DefaultTenantId"/>.</summary>
    public string TenantId { get; init; } = DevelopmentTokenIssuer.DefaultTenantId;

    /// <summary>The caller's Entra object id (<c>oid</c>, also <c>sub</c>).</summary>
    public required string ObjectId { get; init; }

    /// <summary>App roles (<c>roles</c>), e.g. <c>Research.Read</c>.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>Group object ids (<c>groups</c>).</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>How long the token is valid. Default one hour.</summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>When the token is issued; default now. Tests set it in the past to mint expired tokens.</summary>
    public DateTimeOffset? IssuedAt { get; init; }
}
