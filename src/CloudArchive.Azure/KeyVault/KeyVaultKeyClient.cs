using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace CloudArchive.Azure.KeyVault;

/// <summary>
/// A small client for the Key Vault / Managed HSM keys REST API (api-version 7.5) over Azure.Core's
/// <see cref="HttpPipeline"/>: get, create, rotate, wrapkey/unwrapkey, sign/verify. Authentication is the
/// challenge-based bearer flow. Errors are <see cref="KeyVaultException"/>.
/// </summary>
public sealed class KeyVaultKeyClient
{
    private readonly Uri _vaultUri;
    private readonly HttpPipeline _pipeline;
    private readonly string _apiVersion;

    /// <summary>Creates a client for one vault.</summary>
    /// <param name="vaultUri">e.g. <c>https://myvault.vault.azure.net</c> or <c>https://myhsm.managedhsm.azure.net</c>.</param>
    /// <param name="credential">Entra ID credential (e.g. DefaultAzureCredential).</param>
    /// <param name="options">Pipeline options.</param>
    public KeyVaultKeyClient(Uri vaultUri, TokenCredential credential, KeyVaultClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vaultUri);
        ArgumentNullException.ThrowIfNull(credential);
        options ??= new KeyVaultClientOptions();
        options.Diagnostics.IsLoggingContentEnabled = false;
        _vaultUri = new Uri(vaultUri.GetLeftPart(UriPartial.Authority));
        _apiVersion = options.ApiVersion;
        var auth = new KeyVaultChallengeAuthenticationPolicy(credential, !options.DisableChallengeResourceVerification);
        _pipeline = HttpPipelineBuilder.Build(options, [], [auth], new ResponseClassifier());
    }

    /// <summary>The vault endpoint.</summary>
    public Uri VaultUri => _vaultUri;

    /// <summary><c>GET /keys/{name}[/{version}]</c>: the latest version when <paramref name="version"/> is null.</summary>
    public async Task<KeyVaultKey> GetKeyAsync(string name, string? version = null, CancellationToken cancellationToken = default)
    {
        ValidateName(name);
        var path = "/keys/" + Uri.EscapeDataString(name) + (version is null ? string.Empty : "/" + Uri.EscapeDataString(version));
        using var doc = await SendAsync("get", RequestMethod.Get, new Uri(_vaultUri, path), null, cancellationToken).ConfigureAwait(false);
        return ParseKey(doc.RootElement);
    }

    /// <summary><c>POST /keys/{name}/create</c>: creates a key, or a new version of an existing one.</summary>
    public async Task<KeyVaultKey> CreateKeyAsync(string name, CreateKeyOptions options, CancellationToken cancellationToken = default)
    {
        ValidateName(name);
        ArgumentNullException.ThrowIfNull(options);
        var body = Json(w =>
        {
            w.WriteString("kty", options.KeyType);
            if (options.KeySize is { } size)
            {
                w.WriteNumber("key_size", size);
            }

            if (options.Curve is not null)
            {
                w.WriteString("crv", options.Curve);
            }

            w.WriteStartArray("key_ops");
            foreach (var op in options.KeyOperations)
            {
                w.WriteStringValue(op);
            }

            w.WriteEndArray();
            w.WriteStartObject("attributes");
            w.WriteBoolean("enabled", true);
            if (options.ExpiresOn is { } exp)
            {
                w.WriteNumber("exp", exp.ToUnixTimeSeconds());
            }

            w.WriteEndObject();
            w.WriteStartObject("tags");
            foreach (var (k, v) in options.Tags ?? new Dictionary<string, string>())
            {
                w.WriteString(k, v);
            }

            w.WriteEndObject();
        });
        using var doc = await SendAsync("create", RequestMethod.Post, new Uri(_vaultUri, "/keys/" + Uri.EscapeDataString(name) + "/create"), body, cancellationToken).ConfigureAwait(false);
        return ParseKey(doc.RootElement);
    }

    /// <summary><c>POST /keys/{name}/rotate</c>: creates a new version; older versions stay usable for unwrap/verify.</summary>
    public async Task<KeyVaultKey> RotateKeyAsync(string name, CancellationToken cancellationToken = default)
    {
        ValidateName(name);
        using var doc = await SendAsync("rotate", RequestMethod.Post, new Uri(_vaultUri, "/keys/" + Uri.EscapeDataString(name) + "/rotate"), [], cancellationToken).ConfigureAwait(false);
        return ParseKey(doc.RootElement);
    }

    /// <summary><c>POST {kid}/wrapkey</c>.</summary>
    /// <returns>The versioned kid that wrapped, and the wrapped bytes.</returns>
    public Task<(string KeyId, byte[] Value)> WrapKeyAsync(string keyId, string algorithm, ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default)
        => KeyOperationAsync("wrapkey", keyId, algorithm, key, cancellationToken);

    /// <summary><c>POST {kid}/unwrapkey</c>.</summary>
    public Task<(string KeyId, byte[] Value)> UnwrapKeyAsync(string keyId, string algorithm, ReadOnlyMemory<byte> encryptedKey, CancellationToken cancellationToken = default)
        => KeyOperationAsync("unwrapkey", keyId, algorithm, encryptedKey, cancellationToken);

    /// <summary><c>POST {kid}/sign</c> over a digest (e.g. <c>PS256</c>, <c>ES256</c>), for audit seals.</summary>
    public Task<(string KeyId, byte[] Value)> SignAsync(string keyId, string algorithm, ReadOnlyMemory<byte> digest, CancellationToken cancellationToken = default)
        => KeyOperationAsync("sign", keyId, algorithm, digest, cancellationToken);

    /// <summary><c>POST {kid}/verify</c>: true when <paramref name="signature"/> is valid for <paramref name="digest"/>.</summary>
    public async Task<bool> VerifyAsync(string keyId, string algorithm, ReadOnlyMemory<byte> digest, ReadOnlyMemory<byte> signature, CancellationToken cancellationToken = default)
    {
        var uri = OperationUri(keyId, "verify");
        var body = Json(w =>
        {
            w.WriteString("alg", algorithm);
            w.WriteString("digest", Base64Url.Encode(digest.Span));
            w.WriteString("value", Base64Url.Encode(signature.Span));
        });
        using var doc = await SendAsync("verify", RequestMethod.Post, uri, body, cancellationToken).ConfigureAwait(false);
        return doc.RootElement.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.True;
    }

    private static void ValidateName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Length > 127 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            throw new ArgumentException("Key Vault key names are 1-127 characters of 0-9, a-z, A-Z and '-'.", nameof(name));
        }
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static KeyVaultKey ParseKey(JsonElement root)
    {
        try
        {
            var key = root.GetProperty("key");
            var ops = key.TryGetProperty("key_ops", out var o) ? o.EnumerateArray().Select(x => x.GetString()!).ToArray() : [];
            root.TryGetProperty("attributes", out var attrs);
            bool enabled = attrs.ValueKind != JsonValueKind.Object || !attrs.TryGetProperty("enabled", out var en) || en.GetBoolean();
            DateTimeOffset? Time(string n) => attrs.ValueKind == JsonValueKind.Object && attrs.TryGetProperty(n, out var t) && t.ValueKind == JsonValueKind.Number ? DateTimeOffset.FromUnixTimeSeconds(t.GetInt64()) : null;
            string? recovery = attrs.ValueKind == JsonValueKind.Object && attrs.TryGetProperty("recoveryLevel", out var rl) ? rl.GetString() : null;
            var tags = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("tags", out var tg) && tg.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in tg.EnumerateObject())
                {
                    tags[p.Name] = p.Value.GetString() ?? string.Empty;
                }
            }

            byte[]? B(string n) => key.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.String ? Base64Url.Decode(v.GetString()!) : null;
            return new KeyVaultKey(key.GetProperty("kid").GetString()!, key.GetProperty("kty").GetString()!, ops, enabled, Time("created"), Time("updated"), recovery, B("n"), B("e"), tags);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new KeyVaultException("parse", 200, "InvalidResponse", "The key bundle returned by Key Vault is malformed.", null, ex);
        }
    }

    private Uri OperationUri(string keyId, string operation)
    {
        var id = KeyVaultKeyIdentifier.Parse(keyId);
        if (!string.Equals(id.VaultUri.Authority, _vaultUri.Authority, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("The key id belongs to a different vault than this client.", nameof(keyId));
        }

        return new Uri(_vaultUri, "/keys/" + Uri.EscapeDataString(id.Name) + (id.Version is null ? string.Empty : "/" + Uri.EscapeDataString(id.Version)) + "/" + operation);
    }

    private async Task<(string KeyId, byte[] Value)> KeyOperationAsync(string operation, string keyId, string algorithm, ReadOnlyMemory<byte> value, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(algorithm);
        var uri = OperationUri(keyId, operation);
        var body = Json(w =>
        {
            w.WriteString("alg", algorithm);
            w.WriteString("value", Base64Url.Encode(value.Span));
        });
        try
        {
            using var doc = await SendAsync(operation, RequestMethod.Post, uri, body, cancellationToken).ConfigureAwait(false);
            var root = doc.RootElement;
            if (!root.TryGetProperty("kid", out var kid) || !root.TryGetProperty("value", out var v) || v.GetString() is not { } text)
            {
                throw new KeyVaultException(operation, 200, "InvalidResponse", "The key operation result lacks kid or value.", null);
            }

            return (kid.GetString()!, Base64Url.Decode(text));
        }
        finally
        {
            // The request body may hold a plaintext key (wrapkey): do not leave it in memory longer than needed.
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(body);
        }
    }

    private async Task<JsonDocument> SendAsync(string operation, RequestMethod method, Uri uri, byte[]? body, CancellationToken cancellationToken)
    {
        using var message = _pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(uri);
        request.Uri.AppendQuery("api-version", _apiVersion);
        request.Headers.Add("Accept", "application/json");
        if (body is not null)
        {
            request.Headers.Add("Content-Type", "application/json");
            request.Content = RequestContent.Create(body);
        }

        try
        {
            await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex)
        {
            throw new KeyVaultException(operation, ex.Status, ex.ErrorCode, "The request could not be completed.", null, ex);
        }
        catch (InvalidOperationException ex) when (!string.Equals(request.Uri.Scheme, "https", StringComparison.OrdinalIgnoreCase))
        {
            // Azure.Core's bearer policy refuses non-TLS endpoints before sending anything.
            throw new KeyVaultException(operation, 0, "InsecureEndpoint", "Key Vault must be reached over HTTPS; the request was not sent.", null, ex);
        }

        var response = message.Response;
        response.Headers.TryGetValue("x-ms-request-id", out var requestId);
        var content = response.Content.ToMemory();
        if (response.Status is < 200 or >= 300)
        {
            string? code = null, text = null;
            try
            {
                using var err = JsonDocument.Parse(content);
                if (err.RootElement.TryGetProperty("error", out var e))
                {
                    code = e.TryGetProperty("code", out var c) ? c.GetString() : null;
                    text = e.TryGetProperty("message", out var m) ? m.GetString() : null;
                }
            }
            catch (JsonException)
            {
                text = null;
            }

            throw new KeyVaultException(operation, response.Status, code, text ?? response.ReasonPhrase, requestId);
        }

        try
        {
            return JsonDocument.Parse(content);
        }
        catch (JsonException ex)
        {
            throw new KeyVaultException(operation, response.Status, "InvalidResponse", "Key Vault returned a body that is not JSON.", requestId, ex);
        }
    }
}
