using System.CommandLine;
using CloudArchive.Azure.Composition;
using CloudArchive.Azure.Identity;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Core.Identity;
using CloudArchive.Research.Agreements;

namespace CloudArchive.Cli.Commands.Research;

/// <summary>
/// The options every <c>research</c> command shares (<c>--api</c>, <c>--scope</c>, <c>--dev-principal</c>,
/// <c>--dev-group</c>, <c>--dev-role</c>, <c>--agreement</c>) and the client they describe.
/// </summary>
internal sealed class ResearchConnection
{
    /// <summary>The setting naming the API base URL (env <c>CloudArchive__ResearchApi__Url</c>).</summary>
    public const string ApiUrlSetting = "CloudArchive:ResearchApi:Url";

    /// <summary>The setting naming the token scope (env <c>CloudArchive__ResearchApi__Scope</c>).</summary>
    public const string ScopeSetting = "CloudArchive:ResearchApi:Scope";

    /// <summary>Where <c>dev up</c> serves the function app by default.</summary>
    public const string LocalDefaultUrl = "http://127.0.0.1:7071/";

    public const string DevPrincipalWarning =
        "warning: --dev-principal signs a token with the development issuer's key file (" + DevelopmentTokenIssuer.KeyFileName + "). Only a local function app "
        + "on loopback trusts that issuer; anyone who can read the file can act as anyone. Development only.";

    public Option<string?> Api { get; } = new("--api") { Description = $"Base URL of the function app (default: {ApiUrlSetting}, else {LocalDefaultUrl} with --dev-principal)" };

    public Option<string?> Scope { get; } = new("--scope") { Description = $"Entra ID scope of the API for a bearer token from DefaultAzureCredential, e.g. api://<app-id>/.default (default: {ScopeSetting})" };

    public Option<string?> DevPrincipal { get; } = new("--dev-principal") { Description = $"LOCAL DEVELOPMENT ONLY: act as this Entra object id (GUID) with a token from the development issuer (key directory: {AuthSettings.DevelopmentIssuerKeyDirectoryKey}, written by dev up); loopback --api only" };

    public Option<string[]> DevGroups { get; } = new("--dev-group") { Description = "LOCAL DEVELOPMENT ONLY: a group object id (GUID) for --dev-principal's token (repeatable)", AllowMultipleArgumentsPerToken = false };

    public Option<string[]> DevRoles { get; } = new("--dev-role") { Description = $"LOCAL DEVELOPMENT ONLY: an app role for --dev-principal's token (repeatable; default {ArchiveRoles.ResearchRead})", AllowMultipleArgumentsPerToken = false };

    public Option<string> Agreement { get; } = new("--agreement") { Description = "The data-sharing agreement id", Required = true };

    public Option<string?> SettingsFile { get; } = OperationsRunner.SettingsFileOption();

    public void AddTo(Command command, bool withAgreement)
    {
        if (withAgreement)
        {
            command.Add(Agreement);
        }

        command.Add(Api);
        command.Add(Scope);
        command.Add(DevPrincipal);
        command.Add(DevGroups);
        command.Add(DevRoles);
        command.Add(SettingsFile);
    }

    /// <summary>The agreement id, checked.</summary>
    public string AgreementId(ParseResult parse)
    {
        var id = parse.GetValue(Agreement);
        return DataSharingAgreement.IsValidId(id) ? id! : throw new UsageException("--agreement must be an agreement id (3-63 lowercase letters, digits and hyphens).");
    }

    /// <summary>Builds the client; warns on <paramref name="error"/> when the development header is used.</summary>
    public ResearchApiClient CreateClient(ParseResult parse, HttpClient http, TextWriter error)
    {
        var settings = ArchiveSettings.Load(null, parse.GetValue(SettingsFile));
        var devPrincipal = parse.GetValue(DevPrincipal);
        var scope = parse.GetValue(Scope);
        var groups = parse.GetValue(DevGroups) ?? [];
        var roles = parse.GetValue(DevRoles) ?? [];
        if (devPrincipal is not null && scope is not null)
        {
            throw new UsageException("Give either --scope (a deployed app) or --dev-principal (a local app), not both.");
        }

        if (devPrincipal is null && groups.Length > 0)
        {
            throw new UsageException("--dev-group needs --dev-principal.");
        }

        if (devPrincipal is null && roles.Length > 0)
        {
            throw new UsageException("--dev-role needs --dev-principal.");
        }

        scope ??= devPrincipal is null ? settings[ScopeSetting] : null;
        var apiText = parse.GetValue(Api) ?? settings[ApiUrlSetting] ?? (devPrincipal is not null ? LocalDefaultUrl : null);
        if (apiText is null)
        {
            throw new UsageException($"Give --api (the function app's URL) or set {ApiUrlSetting}.");
        }

        if (!Uri.TryCreate(apiText, UriKind.Absolute, out var api) || (api.Scheme != Uri.UriSchemeHttps && api.Scheme != Uri.UriSchemeHttp) || !string.IsNullOrEmpty(api.Query) || !string.IsNullOrEmpty(api.UserInfo))
        {
            throw new UsageException("--api must be an http(s) URL without query or credentials, e.g. https://<app>.azurewebsites.net.");
        }

        ResearchCredentials credentials;
        if (devPrincipal is not null)
        {
            var ids = groups.Prepend(devPrincipal).ToList();
            if (!ids.All(g => Guid.TryParseExact(g, "D", out _)))
            {
                throw new UsageException("--dev-principal and --dev-group must be GUIDs (Entra object ids).");
            }

            if (!api.IsLoopback)
            {
                // The development issuer is trusted only by a local app on loopback; sending its token anywhere else
                // would at best be refused and at worst hand a signed token to someone else's server.
                throw new UsageException("--dev-principal works only against a local function app: --api must be a loopback URL (127.0.0.1, [::1] or localhost). Use --scope for a deployed app.");
            }

            if (roles.Any(string.IsNullOrWhiteSpace))
            {
                throw new UsageException("--dev-role must name an app role, e.g. " + ArchiveRoles.ResearchRead + ".");
            }

            credentials = DevelopmentCredentials(settings, api, devPrincipal.ToLowerInvariant(), groups.Select(g => g.ToLowerInvariant()).ToList(), roles.Length == 0 ? [ArchiveRoles.ResearchRead] : roles);
            error.WriteLine(DevPrincipalWarning);
        }
        else if (scope is not null)
        {
            if (api.Scheme != Uri.UriSchemeHttps && !api.IsLoopback)
            {
                // A bearer token must never travel in clear text.
                throw new UsageException("--api must use https when a token is sent (--scope).");
            }

            credentials = ResearchCredentials.Bearer(new global::Azure.Identity.DefaultAzureCredential(), scope);
        }
        else
        {
            throw new UsageException($"Give --scope (or set {ScopeSetting}) to sign in with Entra ID, or --dev-principal for a local function app.");
        }

        return new ResearchApiClient(http, api, credentials);
    }

    private static ResearchCredentials DevelopmentCredentials(ArchiveSettings settings, Uri api, string objectId, IReadOnlyList<string> groups, IReadOnlyList<string> roles)
    {
        if (settings[AuthSettings.DevelopmentIssuerKeyDirectoryKey] is not { } directory)
        {
            throw new UsageException($"--dev-principal needs the development issuer's key directory: run `cloudarchive dev up` in this directory (it writes {AuthSettings.DevelopmentIssuerKeyDirectoryKey} to .cloudarchive/dev.env), or set it with --settings or the environment.");
        }

        DevelopmentTokenIssuer issuer;
        try
        {
            issuer = DevelopmentTokenIssuer.Load(Path.GetFullPath(directory));
        }
        catch (FileNotFoundException)
        {
            throw new UsageException($"The development issuer has no key in {directory} yet: start the local function app (`cloudarchive dev up`) first.");
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new UsageException(ex.Message);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            throw new UsageException($"The development issuer's key in {directory} is not a usable RSA key; delete the directory and run `cloudarchive dev up` again.");
        }

        var tenant = settings[AuthSettings.TenantIdKey] ?? DevelopmentTokenIssuer.DefaultTenantId;
        return ResearchCredentials.Development(issuer, new DevelopmentTokenRequest
        {
            Issuer = DevelopmentTokenIssuer.IssuerUri(api, tenant),
            Audience = settings[AuthSettings.AudienceKey] ?? DevelopmentTokenIssuer.DefaultAudience,
            TenantId = tenant,
            ObjectId = objectId,
            Groups = groups,
            Roles = roles,
        });
    }

    /// <summary>Runs a research command with uniform error handling (API errors exit 4, unreachable API 5).</summary>
    public static Task<int> RunAsync(ParseResult parse, Func<Task<int>> run, CancellationToken cancellationToken) =>
        OperationsRunner.RunAsync(parse.InvocationConfiguration.Error, async () =>
        {
            try
            {
                return await run().ConfigureAwait(false);
            }
            catch (ResearchApiException ex)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"error: {ex.Message} ({(ex.Status is { } s ? ((int)s).ToString(System.Globalization.CultureInfo.InvariantCulture) + " " : string.Empty)}{ex.Code})").ConfigureAwait(false);
                return ex.Status is null && ex.Code is "unreachable" or "transfer-failed" ? ExitCodes.Unavailable : ExitCodes.Refused;
            }
            catch (global::Azure.Identity.AuthenticationFailedException ex)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync("error: could not get a token for --scope: " + ex.GetType().Name + " (sign in with `az login` or check the scope).").ConfigureAwait(false);
                return ExitCodes.Refused;
            }
        }, cancellationToken);
}
