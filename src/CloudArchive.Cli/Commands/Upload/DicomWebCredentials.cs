using System.Net.Http.Headers;
using CloudArchive.Azure.Composition;
using CloudArchive.Azure.Identity;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Cli.Commands.Research;
using CloudArchive.Core.Identity;

namespace CloudArchive.Cli.Commands.Upload;

/// <summary>
/// The bearer token of <c>upload --dicomweb</c>, from one of three sources, as the <c>research</c> commands obtain
/// theirs: a token given with <c>--token</c> or in <see cref="TokenVariable"/>; an Entra ID token for <c>--scope</c> from
/// DefaultAzureCredential; or, for a local function app on loopback only, a development token for
/// <c>--dev-principal</c> with the <c>Archive.Upload</c> role.
/// </summary>
internal sealed class DicomWebCredentials : IDisposable
{
    /// <summary>The environment variable a ready access token may be given in.</summary>
    public const string TokenVariable = "CLOUDARCHIVE_ACCESS_TOKEN";

    private readonly string? _token;
    private readonly ResearchCredentials? _credentials;

    private DicomWebCredentials(string? token, ResearchCredentials? credentials)
    {
        _token = token;
        _credentials = credentials;
    }

    /// <summary>Chooses the source; warns on <paramref name="error"/> for development tokens.</summary>
    /// <exception cref="UsageException">No source, more than one, or one that does not fit the URL.</exception>
    public static DicomWebCredentials Create(Uri serviceRoot, string? token, string? scope, string? devPrincipal, string? settingsFile, TextWriter error)
    {
        token ??= Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
        var sources = new[] { token, scope, devPrincipal }.Count(s => s is not null);
        if (sources > 1)
        {
            throw new UsageException($"Give one of --token (or {TokenVariable}), --scope and --dev-principal.");
        }

        if (sources == 0)
        {
            throw new UsageException($"Give --token (or set {TokenVariable}), --scope (Entra ID through DefaultAzureCredential) or, for a local function app, --dev-principal.");
        }

        if ((token is not null || scope is not null) && serviceRoot.Scheme != Uri.UriSchemeHttps && !serviceRoot.IsLoopback)
        {
            // A bearer token must never travel in clear text.
            throw new UsageException("--dicomweb must use https when a token is sent to a remote host.");
        }

        if (token is not null)
        {
            return new DicomWebCredentials(token, null);
        }

        if (scope is not null)
        {
            return new DicomWebCredentials(null, ResearchCredentials.Bearer(new global::Azure.Identity.DefaultAzureCredential(), scope));
        }

        if (!Guid.TryParseExact(devPrincipal, "D", out _))
        {
            throw new UsageException("--dev-principal must be a GUID (an Entra object id).");
        }

        if (!serviceRoot.IsLoopback)
        {
            throw new UsageException("--dev-principal works only against a local function app: --dicomweb must be a loopback URL.");
        }

        var settings = ArchiveSettings.Load(null, settingsFile);
        if (settings[AuthSettings.DevelopmentIssuerKeyDirectoryKey] is not { } directory)
        {
            throw new UsageException($"--dev-principal needs the development issuer's key directory: run `cloudarchive dev up` in this directory, or set {AuthSettings.DevelopmentIssuerKeyDirectoryKey}.");
        }

        DevelopmentTokenIssuer issuer;
        try
        {
            issuer = DevelopmentTokenIssuer.Load(Path.GetFullPath(directory));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new UsageException($"The development issuer's key in {directory} cannot be used ({ex.GetType().Name}); start the local function app (`cloudarchive dev up`) first.");
        }

        var tenant = settings[AuthSettings.TenantIdKey] ?? DevelopmentTokenIssuer.DefaultTenantId;
        error.WriteLine(ResearchConnection.DevPrincipalWarning);
        return new DicomWebCredentials(null, ResearchCredentials.Development(issuer, new DevelopmentTokenRequest
        {
            Issuer = DevelopmentTokenIssuer.IssuerUri(new Uri(serviceRoot.GetLeftPart(UriPartial.Authority) + "/"), tenant),
            Audience = settings[AuthSettings.AudienceKey] ?? DevelopmentTokenIssuer.DefaultAudience,
            TenantId = tenant,
            ObjectId = devPrincipal!.ToLowerInvariant(),
            Roles = [ArchiveRoles.ArchiveUpload],
        }));
    }

    /// <summary>Adds <c>Authorization: Bearer</c> to a request.</summary>
    public async Task ApplyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
            return;
        }

        await _credentials!.ApplyAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => _credentials?.Dispose();
}
