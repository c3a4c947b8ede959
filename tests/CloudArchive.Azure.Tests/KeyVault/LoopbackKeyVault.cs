using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Azure.Core.Pipeline;
using CloudArchive.Azure.KeyVault;
using CloudArchive.Core.Crypto;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CloudArchive.Azure.Tests.KeyVault;

/// <summary>
/// A loopback Key Vault implementing the keys REST subset the archive uses (Key Vault REST reference, api-version
/// 7.5/7.6): challenge on unauthenticated requests, create/get/rotate with 32-hex versions and versioned kids,
/// wrapkey/unwrapkey (RSA-OAEP-256, RSA-OAEP, RSA1_5, A256KW on oct-HSM), sign/verify (PS256, RS256, ES256), error
/// bodies <c>{"error":{"code","message"}}</c>. HTTPS with a self-signed certificate generated per instance.
/// </summary>
internal sealed class LoopbackKeyVault : IAsyncDisposable
{
    public const string Tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    private readonly WebApplication _app;
    private readonly X509Certificate2 _certificate;
    private readonly ConcurrentDictionary<string, List<StoredKey>> _keys = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private LoopbackKeyVault(WebApplication app, X509Certificate2 certificate)
    {
        _app = app;
        _certificate = certificate;
    }

    public Uri VaultUri { get; private set; } = null!;

    /// <summary>The resource named in the challenge (defaults to the vault's own origin, so the domain check passes).</summary>
    public string? ChallengeResource { get; set; }

    /// <summary>When set, the challenge also carries <c>scope="…"</c>.</summary>
    public string? ChallengeScope { get; set; }

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    /// <summary>The token the server accepts: what <see cref="FakeTokenCredential"/> issues for the advertised scope and tenant.</summary>
    public string ExpectedToken => FakeTokenCredential.TokenFor(ChallengeScope ?? (ChallengeResource ?? Origin) + "/.default", Tenant);

    private string Origin => VaultUri.GetLeftPart(UriPartial.Authority);

    public static async Task<LoopbackKeyVault> StartAsync()
    {
        var certificate = CreateCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        var app = builder.Build();
        var vault = new LoopbackKeyVault(app, certificate);
        app.Run(vault.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        vault.VaultUri = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return vault;
    }

    /// <summary>Client options trusting exactly this server's certificate, without retries (tests check single outcomes).</summary>
    public KeyVaultClientOptions ClientOptions()
    {
        var thumbprint = _certificate.Thumbprint;
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert is not null && cert.Thumbprint == thumbprint,
        };
        var options = new KeyVaultClientOptions { Transport = new HttpClientTransport(handler) };
        options.Retry.MaxRetries = 0;
        return options;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _certificate.Dispose();
        foreach (var versions in _keys.Values)
        {
            foreach (var k in versions)
            {
                k.Dispose();
            }
        }
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        var body = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(body).ConfigureAwait(false);
        var auth = ctx.Request.Headers.Authorization.ToString();
        _requests.Enqueue(new RecordedRequest(ctx.Request.Method, ctx.Request.Path.Value ?? string.Empty, auth.Length > 0, body.Length));
        ctx.Response.Headers["x-ms-request-id"] = Guid.NewGuid().ToString();

        if (auth != "Bearer " + ExpectedToken)
        {
            var challenge = $"Bearer authorization=\"https://login.microsoftonline.com/{Tenant}\", resource=\"{ChallengeResource ?? Origin}\"";
            if (ChallengeScope is not null)
            {
                challenge += $", scope=\"{ChallengeScope}\"";
            }

            ctx.Response.Headers.WWWAuthenticate = challenge;
            await Error(ctx, 401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.").ConfigureAwait(false);
            return;
        }

        var apiVersion = ctx.Request.Query["api-version"].ToString();
        if (apiVersion is not ("7.5" or "7.6"))
        {
            await Error(ctx, 400, "BadParameter", $"The specified version ({apiVersion}) is not recognized. Consider using the latest supported version (7.6).").ConfigureAwait(false);
            return;
        }

        var segments = (ctx.Request.Path.Value ?? string.Empty).Trim('/').Split('/');
        if (segments.Length < 2 || segments[0] != "keys")
        {
            await Error(ctx, 404, "NotFound", "The requested resource was not found.").ConfigureAwait(false);
            return;
        }

        var name = segments[1];
        var method = ctx.Request.Method;
        JsonElement json = default;
        if (body.Length > 0)
        {
            try
            {
                json = JsonDocument.Parse(body.ToArray()).RootElement;
            }
            catch (JsonException)
            {
                await Error(ctx, 400, "BadParameter", "The request body is not valid JSON.").ConfigureAwait(false);
                return;
            }
        }

        switch (segments.Length, method)
        {
            case (3, "POST") when segments[2] == "create":
                await Create(ctx, name, json).ConfigureAwait(false);
                return;
            case (3, "POST") when segments[2] == "rotate":
                await Rotate(ctx, name).ConfigureAwait(false);
                return;
            case (2, "GET"):
            case (3, "GET"):
                {
                    var key = Find(name, segments.Length == 3 ? segments[2] : null);
                    if (key is null)
                    {
                        await NotFound(ctx, name).ConfigureAwait(false);
                        return;
                    }

                    await Write(ctx, 200, key.Bundle(Origin)).ConfigureAwait(false);
                    return;
                }

            case (3, "POST"):
            case (4, "POST"):
                {
                    var op = segments[^1];
                    var key = Find(name, segments.Length == 4 ? segments[2] : null);
                    if (key is null)
                    {
                        await NotFound(ctx, name).ConfigureAwait(false);
                        return;
                    }

                    await Operate(ctx, key, op, json).ConfigureAwait(false);
                    return;
                }

            default:
                await Error(ctx, 405, "MethodNotAllowed", "The method is not allowed on this resource.").ConfigureAwait(false);
                return;
        }
    }

    private StoredKey? Find(string name, string? version)
    {
        if (!_keys.TryGetValue(name, out var versions))
        {
            return null;
        }

        lock (versions)
        {
            return version is null ? versions.LastOrDefault() : versions.FirstOrDefault(v => v.Version == version);
        }
    }

    private async Task Create(HttpContext ctx, string name, JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty("kty", out var ktyEl))
        {
            await Error(ctx, 400, "BadParameter", "Property kty is required.").ConfigureAwait(false);
            return;
        }

        var kty = ktyEl.GetString()!;
        int? size = json.TryGetProperty("key_size", out var s) ? s.GetInt32() : null;
        var ops = json.TryGetProperty("key_ops", out var o) ? o.EnumerateArray().Select(x => x.GetString()!).ToArray() : ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"];
        var tags = new Dictionary<string, string>();
        if (json.TryGetProperty("tags", out var t) && t.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in t.EnumerateObject())
            {
                tags[p.Name] = p.Value.GetString() ?? string.Empty;
            }
        }

        StoredKey key;
        try
        {
            key = StoredKey.Generate(name, kty, size, ops, tags);
        }
        catch (ArgumentException ex)
        {
            await Error(ctx, 400, "BadParameter", ex.Message).ConfigureAwait(false);
            return;
        }

        var versions = _keys.GetOrAdd(name, _ => []);
        lock (versions)
        {
            versions.Add(key);
        }

        await Write(ctx, 200, key.Bundle(Origin)).ConfigureAwait(false);
    }

    private async Task Rotate(HttpContext ctx, string name)
    {
        var latest = Find(name, null);
        if (latest is null)
        {
            await NotFound(ctx, name).ConfigureAwait(false);
            return;
        }

        var key = StoredKey.Generate(name, latest.Kty, latest.Size, latest.Ops, latest.Tags);
        var versions = _keys[name];
        lock (versions)
        {
            versions.Add(key);
        }

        await Write(ctx, 200, key.Bundle(Origin)).ConfigureAwait(false);
    }

    private async Task Operate(HttpContext ctx, StoredKey key, string op, JsonElement json)
    {
        var permission = op switch
        {
            "wrapkey" => "wrapKey",
            "unwrapkey" => "unwrapKey",
            "sign" => "sign",
            "verify" => "verify",
            _ => null,
        };
        if (permission is null)
        {
            await Error(ctx, 405, "MethodNotAllowed", "The method is not allowed on this resource.").ConfigureAwait(false);
            return;
        }

        if (!key.Ops.Contains(permission))
        {
            await Error(ctx, 403, "Forbidden", $"Operation {permission} is not permitted on this key.").ConfigureAwait(false);
            return;
        }

        if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty("alg", out var algEl) || !json.TryGetProperty("value", out var valueEl))
        {
            await Error(ctx, 400, "BadParameter", "Properties alg and value are required.").ConfigureAwait(false);
            return;
        }

        var alg = algEl.GetString()!;
        byte[] value;
        try
        {
            value = Decode(valueEl.GetString()!);
        }
        catch (FormatException)
        {
            await Error(ctx, 400, "BadParameter", "value is not base64url.").ConfigureAwait(false);
            return;
        }

        try
        {
            if (op == "verify")
            {
                var digest = Decode(json.GetProperty("digest").GetString()!);
                await Write(ctx, 200, new Dictionary<string, object> { ["value"] = key.Verify(alg, digest, value) }).ConfigureAwait(false);
                return;
            }

            var result = op switch
            {
                "wrapkey" => key.Wrap(alg, value),
                "unwrapkey" => key.Unwrap(alg, value),
                _ => key.Sign(alg, value),
            };
            await Write(ctx, 200, new Dictionary<string, object> { ["kid"] = key.Kid(Origin), ["value"] = Encode(result) }).ConfigureAwait(false);
        }
        catch (NotSupportedException ex)
        {
            await Error(ctx, 400, "BadParameter", ex.Message).ConfigureAwait(false);
        }
        catch (CryptographicException)
        {
            await Error(ctx, 400, "BadParameter", "Bad Request").ConfigureAwait(false);
        }
    }

    private static Task NotFound(HttpContext ctx, string name)
        => Error(ctx, 404, "KeyNotFound", $"A key with (name/id) {name} was not found in this key vault. If you recently deleted this key you may be able to recover it using the correct recovery command.");

    private static Task Error(HttpContext ctx, int status, string code, string message)
        => Write(ctx, status, new Dictionary<string, object> { ["error"] = new Dictionary<string, string> { ["code"] = code, ["message"] = message } });

    private static async Task Write(HttpContext ctx, int status, object body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        await ctx.Response.WriteAsync(JsonSerializer.Serialize(body)).ConfigureAwait(false);
    }

    internal static string Encode(ReadOnlySpan<byte> data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    internal static byte[] Decode(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s + new string('=', (4 - (s.Length % 4)) % 4));
    }

    internal sealed record RecordedRequest(string Method, string Path, bool HadAuthorization, long BodyLength);

    private sealed class StoredKey : IDisposable
    {
        private RSA? _rsa;
        private ECDsa? _ec;
        private byte[]? _aes;

        public required string Name { get; init; }

        public required string Version { get; init; }

        public required string Kty { get; init; }

        public int? Size { get; init; }

        public required string[] Ops { get; init; }

        public required Dictionary<string, string> Tags { get; init; }

        public long Created { get; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        public static StoredKey Generate(string name, string kty, int? size, string[] ops, Dictionary<string, string> tags)
        {
            var key = new StoredKey { Name = name, Version = RandomNumberGenerator.GetHexString(32, lowercase: true), Kty = kty, Size = size, Ops = ops, Tags = tags };
            switch (kty)
            {
                case "RSA" or "RSA-HSM":
                    key._rsa = RSA.Create(size ?? 2048);
                    break;
                case "EC" or "EC-HSM":
                    key._ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                    break;
                case "oct-HSM" or "oct":
                    key._aes = RandomNumberGenerator.GetBytes((size ?? 256) / 8);
                    break;
                default:
                    throw new ArgumentException($"The key type {kty} is not supported.");
            }

            return key;
        }

        public string Kid(string origin) => $"{origin}/keys/{Name}/{Version}";

        public Dictionary<string, object> Bundle(string origin)
        {
            var jwk = new Dictionary<string, object> { ["kid"] = Kid(origin), ["kty"] = Kty, ["key_ops"] = Ops };
            if (_rsa is not null)
            {
                var p = _rsa.ExportParameters(false);
                jwk["n"] = Encode(p.Modulus);
                jwk["e"] = Encode(p.Exponent);
            }

            if (_ec is not null)
            {
                var p = _ec.ExportParameters(false);
                jwk["crv"] = "P-256";
                jwk["x"] = Encode(p.Q.X);
                jwk["y"] = Encode(p.Q.Y);
            }

            return new Dictionary<string, object>
            {
                ["key"] = jwk,
                ["attributes"] = new Dictionary<string, object> { ["enabled"] = true, ["created"] = Created, ["updated"] = Created, ["recoveryLevel"] = "Recoverable+Purgeable", ["recoverableDays"] = 90 },
                ["tags"] = Tags,
            };
        }

        public byte[] Wrap(string alg, byte[] value) => alg switch
        {
            "RSA-OAEP-256" => Rsa().Encrypt(value, RSAEncryptionPadding.OaepSHA256),
            "RSA-OAEP" => Rsa().Encrypt(value, RSAEncryptionPadding.OaepSHA1),
            "RSA1_5" => Rsa().Encrypt(value, RSAEncryptionPadding.Pkcs1),
            "A256KW" => AesKeyWrap.Wrap(Aes(), value),
            _ => throw new NotSupportedException($"Invalid algorithm {alg}."),
        };

        public byte[] Unwrap(string alg, byte[] value) => alg switch
        {
            "RSA-OAEP-256" => Rsa().Decrypt(value, RSAEncryptionPadding.OaepSHA256),
            "RSA-OAEP" => Rsa().Decrypt(value, RSAEncryptionPadding.OaepSHA1),
            "RSA1_5" => Rsa().Decrypt(value, RSAEncryptionPadding.Pkcs1),
            "A256KW" => AesKeyWrap.Unwrap(Aes(), value),
            _ => throw new NotSupportedException($"Invalid algorithm {alg}."),
        };

        public byte[] Sign(string alg, byte[] digest) => alg switch
        {
            "PS256" => Rsa().SignHash(Digest(digest), HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            "RS256" => Rsa().SignHash(Digest(digest), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            "ES256" => Ec().SignHash(Digest(digest)),
            _ => throw new NotSupportedException($"Invalid algorithm {alg}."),
        };

        public bool Verify(string alg, byte[] digest, byte[] signature) => alg switch
        {
            "PS256" => Rsa().VerifyHash(Digest(digest), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            "RS256" => Rsa().VerifyHash(Digest(digest), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            "ES256" => Ec().VerifyHash(Digest(digest), signature),
            _ => throw new NotSupportedException($"Invalid algorithm {alg}."),
        };

        public void Dispose()
        {
            _rsa?.Dispose();
            _ec?.Dispose();
        }

        private static byte[] Digest(byte[] digest) => digest.Length == 32 ? digest : throw new NotSupportedException("Digest length is invalid for the algorithm.");

        private RSA Rsa() => _rsa ?? throw new NotSupportedException("Invalid algorithm for this key type.");

        private ECDsa Ec() => _ec ?? throw new NotSupportedException("Invalid algorithm for this key type.");

        private byte[] Aes() => _aes ?? throw new NotSupportedException("Invalid algorithm for this key type.");
    }
}
