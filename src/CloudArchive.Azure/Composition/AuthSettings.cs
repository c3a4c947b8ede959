namespace CloudArchive.Azure.Composition;

/// <summary>
/// Who the function app accepts access tokens from (docs/security.md): one Entra ID tenant, the archive's app
/// registration as audience, the Entra ID instance serving the tenant's signing keys; or, for loopback development
/// only, the development token issuer. There is no setting that turns authentication off: without a tenant and an
/// audience the app does not start.
/// </summary>
public sealed class AuthSettings
{
    /// <summary>The Entra ID tenant (directory) id, a GUID.</summary>
    public const string TenantIdKey = "CloudArchive:Auth:TenantId";

    /// <summary>The token audience: the app registration's application id URI (e.g. <c>api://cloudarchive</c>).</summary>
    public const string AudienceKey = "CloudArchive:Auth:Audience";

    /// <summary>The app registration's client id, also accepted as audience (v2.0 tokens carry it as <c>aud</c>).</summary>
    public const string ClientIdKey = "CloudArchive:Auth:ClientId";

    /// <summary>The Entra ID instance (default <see cref="DefaultInstance"/>; sovereign clouds have their own).</summary>
    public const string InstanceKey = "CloudArchive:Auth:Instance";

    /// <summary>The development token issuer's key directory: when set, that issuer is trusted instead of Entra ID.</summary>
    public const string DevelopmentIssuerKeyDirectoryKey = "CloudArchive:Auth:DevelopmentIssuerKeyDirectory";

    /// <summary>The local host's switch (the development issuer is trusted only in the local host).</summary>
    public const string LocalHostEnabledKey = "LocalHost:Enabled";

    /// <summary>The local host's listen URLs.</summary>
    public const string LocalHostUrlsKey = "LocalHost:Urls";

    /// <summary>ASP.NET Core's listen URLs (<c>--urls</c>, <c>ASPNETCORE_URLS</c>).</summary>
    public const string UrlsKey = "urls";

    /// <summary>The public cloud's Entra ID instance.</summary>
    public const string DefaultInstance = "https://login.microsoftonline.com/";

    /// <summary>The tenant id (lowercase GUID); empty when <see cref="Problems"/> is not.</summary>
    public string TenantId { get; private init; } = string.Empty;

    /// <summary>The audiences a token may be for: the audience and, if configured, the client id.</summary>
    public IReadOnlyList<string> Audiences { get; private init; } = [];

    /// <summary>The Entra ID instance, ending in <c>/</c>.</summary>
    public Uri Instance { get; private init; } = new(DefaultInstance);

    /// <summary>The development issuer's key directory (absolute), or null for Entra ID.</summary>
    public string? DevelopmentIssuerKeyDirectory { get; private init; }

    /// <summary>True when tokens come from the loopback development issuer.</summary>
    public bool UsesDevelopmentIssuer => DevelopmentIssuerKeyDirectory is not null;

    /// <summary>The tenant's OpenID metadata (Entra ID): <c>{Instance}{TenantId}/v2.0/.well-known/openid-configuration</c>.</summary>
    public Uri EntraMetadataAddress => new(Instance, TenantId + "/v2.0/.well-known/openid-configuration");

    /// <summary>
    /// The issuers an Entra ID token of the tenant may name: the v2.0 issuer <c>{Instance}{tid}/v2.0</c> and, on the public
    /// cloud, the v1.0 issuer <c>https://sts.windows.net/{tid}/</c> (the app registration's
    /// <c>accessTokenAcceptedVersion</c> decides which one Entra ID uses).
    /// </summary>
    public IReadOnlyList<string> EntraIssuers =>
        Instance.AbsoluteUri == DefaultInstance
            ? [Instance.AbsoluteUri + TenantId + "/v2.0", "https://sts.windows.net/" + TenantId + "/"]
            : [Instance.AbsoluteUri + TenantId + "/v2.0"];

    /// <summary>What is wrong with the settings, one sentence each.</summary>
    public IReadOnlyList<string> Problems { get; private init; } = [];

    /// <summary>Reads and checks the settings.</summary>
    /// <param name="get">Reads one configuration key.</param>
    /// <param name="baseDirectory">A relative key directory is resolved against it.</param>
    /// <param name="environment">Reads an environment variable (tests pass their own).</param>
    public static AuthSettings Read(Func<string, string?> get, string baseDirectory, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(get);
        environment ??= Environment.GetEnvironmentVariable;
        var problems = new List<string>();

        var tenant = Core.Identity.ArchivePrincipal.NormalizeGuid(Blank(get(TenantIdKey)));
        if (tenant is null)
        {
            problems.Add($"{TenantIdKey} must be the Entra ID tenant id (a GUID): the app accepts tokens of that tenant only, and never runs unauthenticated.");
        }

        var audiences = new List<string>();
        if (Blank(get(AudienceKey)) is { } audience)
        {
            audiences.Add(audience);
        }
        else
        {
            problems.Add($"{AudienceKey} is required: the application id URI of the archive's app registration (e.g. api://cloudarchive).");
        }

        if (Blank(get(ClientIdKey)) is { } clientId)
        {
            if (Core.Identity.ArchivePrincipal.NormalizeGuid(clientId) is { } client)
            {
                audiences.Add(client);
            }
            else
            {
                problems.Add($"{ClientIdKey} must be the app registration's client id (a GUID).");
            }
        }

        var instance = new Uri(DefaultInstance);
        if (Blank(get(InstanceKey)) is { } instanceText)
        {
            if (Uri.TryCreate(instanceText.EndsWith('/') ? instanceText : instanceText + "/", UriKind.Absolute, out var parsed)
                && parsed.Scheme == Uri.UriSchemeHttps && string.IsNullOrEmpty(parsed.Query) && parsed.AbsolutePath == "/")
            {
                instance = parsed;
            }
            else
            {
                problems.Add($"{InstanceKey} must be the https URL of an Entra ID instance, e.g. {DefaultInstance}.");
            }
        }

        string? devDirectory = null;
        if (Blank(get(DevelopmentIssuerKeyDirectoryKey)) is { } configured)
        {
            devDirectory = Path.GetFullPath(configured, baseDirectory);
            problems.AddRange(DevelopmentIssuerProblems(get, environment, devDirectory));
        }

        return problems.Count > 0
            ? new AuthSettings { Problems = problems }
            : new AuthSettings { TenantId = tenant!, Audiences = audiences, Instance = instance, DevelopmentIssuerKeyDirectory = devDirectory };
    }

    /// <summary>
    /// True for a listen URL that only this machine can reach: <c>localhost</c> or a loopback address. Wildcards
    /// (<c>*</c>, <c>+</c>, <c>0.0.0.0</c>, <c>[::]</c>) and names are not.
    /// </summary>
    public static bool IsLoopbackUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return false;
        }

        return uri.IsLoopback; // localhost, 127.0.0.0/8 and [::1]
    }

    private static IEnumerable<string> DevelopmentIssuerProblems(Func<string, string?> get, Func<string, string?> environment, string directory)
    {
        // The development issuer's key is a file anyone on the machine who can read it may sign with: trusting it is
        // acceptable only where nobody else can reach the app (the local host on loopback, never an Azure instance).
        var where = $"{DevelopmentIssuerKeyDirectoryKey} is set (the insecure development token issuer)";
        if (!string.IsNullOrEmpty(environment(KeySettings.AzureInstanceVariable)))
        {
            yield return $"{where} on an Azure instance ({KeySettings.AzureInstanceVariable} is set): remove it and configure Entra ID ({TenantIdKey}, {AudienceKey}).";
        }

        if (!string.Equals(Blank(get(LocalHostEnabledKey)), "true", StringComparison.OrdinalIgnoreCase))
        {
            yield return $"{where} but the app is not the local host ({LocalHostEnabledKey} is not true): only the loopback local host may trust it.";
        }

        var urls = Blank(get(LocalHostUrlsKey)) ?? Blank(get(UrlsKey));
        if (urls is not null)
        {
            if (!urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).All(IsLoopbackUrl))
            {
                yield return $"{where} but the app listens on a non-loopback URL ({LocalHostUrlsKey} / {UrlsKey}): listen on 127.0.0.1, [::1] or localhost only.";
            }
        }
        else if (Blank(get("http_ports")) is not null || Blank(get("https_ports")) is not null)
        {
            // HTTP_PORTS / HTTPS_PORTS bind every interface.
            yield return $"{where} but the app listens on every interface (http_ports / https_ports): set {LocalHostUrlsKey} to a loopback URL.";
        }

        if (!Directory.Exists(directory))
        {
            yield return $"{DevelopmentIssuerKeyDirectoryKey}: the directory {directory} does not exist (`cloudarchive dev up` creates it).";
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
