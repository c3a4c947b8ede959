using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CloudArchive.Azure.Identity;

/// <summary>
/// The loopback development token issuer (docs/security.md): an RSA signing key in a file under <c>dev up</c>'s state
/// directory, the OpenID metadata and key set the local function app publishes for it, and tokens shaped like Entra ID
/// access tokens (v2.0: <c>iss</c>, <c>aud</c>, <c>tid</c>, <c>oid</c>, <c>roles</c>, <c>groups</c>). The app validates
/// these tokens on exactly the path it validates Entra ID tokens, trusting this issuer only in loopback development.
/// INSECURE by design: anyone who can read the key file can mint any identity.
/// </summary>
public sealed class DevelopmentTokenIssuer : IDisposable
{
    /// <summary>The warning every user of the issuer shows.</summary>
    public const string InsecureWarning = "The development token issuer signs with a key file on this machine: anyone who can read it can act as anyone. Loopback development only.";

    /// <summary>The key file's name inside the issuer directory (PKCS#8 PEM).</summary>
    public const string KeyFileName = "signing-key.pem";

    /// <summary>The development tenant: a fixed id, so settings and tokens agree without coordination.</summary>
    public const string DefaultTenantId = "00000000-0000-4000-8000-00000000c1a0";

    /// <summary>The development audience (the archive's app registration's application id URI in Azure).</summary>
    public const string DefaultAudience = "api://cloudarchive-dev";

    /// <summary>The path under the app's base URL where the issuer's metadata is published.</summary>
    public const string PathPrefix = "/dev-issuer/";

    private readonly RSA _rsa;
    private readonly RsaSecurityKey _key;

    private DevelopmentTokenIssuer(RSA rsa, string keyPath)
    {
        _rsa = rsa;
        KeyPath = keyPath;
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        KeyId = Base64UrlEncoder.Encode(SHA256.HashData(Concat(parameters.Modulus!, parameters.Exponent!)))[..16];
        // No shared signature-provider cache: IdentityModel caches providers by key thumbprint, so a second issuer over the
        // same key file (the CLI's, disposed after a command) would otherwise leave a provider on a disposed RSA object
        // for this one to pick up.
        _key = new RsaSecurityKey(rsa) { KeyId = KeyId, CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false } };
    }

    /// <summary>The key file.</summary>
    public string KeyPath { get; }

    /// <summary>The signing key's id (<c>kid</c>), derived from its public key.</summary>
    public string KeyId { get; }

    /// <summary>
    /// The issuer URI for an app reached at <paramref name="appBaseUrl"/>: <c>{base}/dev-issuer/{tenant}/v2.0</c>, the
    /// shape of Entra ID's v2.0 issuer. The metadata is at <c>{issuer}/.well-known/openid-configuration</c>.
    /// </summary>
    public static Uri IssuerUri(Uri appBaseUrl, string tenantId = DefaultTenantId)
    {
        ArgumentNullException.ThrowIfNull(appBaseUrl);
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        return new Uri(appBaseUrl.GetLeftPart(UriPartial.Authority) + PathPrefix + Uri.EscapeDataString(tenantId) + "/v2.0");
    }

    /// <summary>Loads the issuer's key from <paramref name="directory"/>, creating the directory and a new key if there is none.</summary>
    public static DevelopmentTokenIssuer LoadOrCreate(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var path = Path.Combine(directory, KeyFileName);
        if (File.Exists(path))
        {
            return Load(directory);
        }

        CreateDirectory(directory);
        var rsa = RSA.Create(2048);
        try
        {
            var pem = rsa.ExportPkcs8PrivateKeyPem();
            using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }

                file.Write(Encoding.ASCII.GetBytes(pem));
            }

            File.WriteAllText(Path.Combine(directory, "README.txt"), InsecureWarning + Environment.NewLine);
            return new DevelopmentTokenIssuer(rsa, path);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: use theirs, so every token verifies against one key set.
            rsa.Dispose();
            return Load(directory);
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    /// <summary>Loads the issuer's key from <paramref name="directory"/>.</summary>
    /// <exception cref="FileNotFoundException">There is no key: run <c>cloudarchive dev up</c> first.</exception>
    /// <exception cref="CryptographicException">The file is not an RSA private key in PEM.</exception>
    /// <exception cref="UnauthorizedAccessException">Other users could read the key or plant their own (Unix modes).</exception>
    public static DevelopmentTokenIssuer Load(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var path = Path.Combine(directory, KeyFileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException("The development token issuer has no key yet; `cloudarchive dev up` creates it.", path);
        }

        RefuseSharedKey(directory, path);

        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(File.ReadAllText(path));
            if (rsa.KeySize < 2048)
            {
                throw new CryptographicException("The development signing key is shorter than 2048 bits.");
            }

            return new DevelopmentTokenIssuer(rsa, path);
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    /// <summary>Mints a signed (RS256) access token.</summary>
    public string Mint(DevelopmentTokenRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.ObjectId);
        var issued = request.IssuedAt ?? DateTimeOffset.UtcNow;
        var claims = new Dictionary<string, object>
        {
            ["tid"] = request.TenantId,
            ["oid"] = request.ObjectId,
            ["sub"] = request.ObjectId,
            ["ver"] = "2.0",
            ["azp"] = "cloudarchive-dev-cli",
        };
        if (request.Roles.Count > 0)
        {
            claims["roles"] = request.Roles.ToArray();
        }

        if (request.Groups.Count > 0)
        {
            claims["groups"] = request.Groups.ToArray();
        }

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = request.Issuer.AbsoluteUri.TrimEnd('/'),
            Audience = request.Audience,
            IssuedAt = issued.UtcDateTime,
            NotBefore = issued.UtcDateTime,
            Expires = (issued + request.Lifetime).UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>The OpenID Connect discovery document for <paramref name="issuer"/> (what Entra ID publishes for a tenant).</summary>
    public static string OpenIdConfigurationJson(Uri issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var iss = issuer.AbsoluteUri.TrimEnd('/');
        return new JsonObject
        {
            ["issuer"] = iss,
            ["jwks_uri"] = iss + "/discovery/keys",
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["token_endpoint_auth_methods_supported"] = new JsonArray(),
            ["response_types_supported"] = new JsonArray("token"),
            ["subject_types_supported"] = new JsonArray("pairwise"),
        }.ToJsonString();
    }

    /// <summary>The public key set (JWKS) the metadata's <c>jwks_uri</c> serves: the public half only.</summary>
    public string JwksJson()
    {
        var p = _rsa.ExportParameters(includePrivateParameters: false);
        // Node trees write without reflection (the CLI mints tokens with this class and is published with NativeAOT).
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["alg"] = "RS256",
                ["kid"] = KeyId,
                ["n"] = Base64UrlEncoder.Encode(p.Modulus!),
                ["e"] = Base64UrlEncoder.Encode(p.Exponent!),
            }),
        }.ToJsonString();
    }

    /// <inheritdoc />
    public void Dispose() => _rsa.Dispose();

    /// <summary>
    /// Whoever can read the key can sign as anyone, and whoever can write the directory can plant a key of their own
    /// that the local app would then trust: both must be this user's alone (LoadOrCreate makes them 0700 / 0600).
    /// </summary>
    private static void RefuseSharedKey(string directory, string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        const UnixFileMode othersOnFile = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        const UnixFileMode othersWriteDirectory = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
        if ((File.GetUnixFileMode(path) & othersOnFile) != 0 || (File.GetUnixFileMode(directory) & othersWriteDirectory) != 0)
        {
            throw new UnauthorizedAccessException($"The development signing key {path} or its directory is open to other users; make them yours alone (chmod 700 the directory, chmod 600 the key) or delete the directory and run `cloudarchive dev up` again.");
        }
    }

    private static void CreateDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static byte[] Concat(byte[] a, byte[] b)
    {
        var result = new byte[a.Length + b.Length];
        a.CopyTo(result, 0);
        b.CopyTo(result, a.Length);
        return result;
    }
}
