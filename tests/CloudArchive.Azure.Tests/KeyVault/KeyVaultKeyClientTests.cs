using System.Security.Cryptography;
using CloudArchive.Azure.KeyVault;
using Xunit;

namespace CloudArchive.Azure.Tests.KeyVault;

public sealed class KeyVaultKeyClientTests : IAsyncLifetime
{
    private LoopbackKeyVault _vault = null!;
    private readonly FakeTokenCredential _credential = new();

    public async ValueTask InitializeAsync() => _vault = await LoopbackKeyVault.StartAsync();

    public async ValueTask DisposeAsync() => await _vault.DisposeAsync();

    private KeyVaultKeyClient NewClient(KeyVaultClientOptions? options = null) => new(_vault.VaultUri, _credential, options ?? _vault.ClientOptions());

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_first_request_goes_without_body_or_token_then_the_challenge_scope_and_tenant_are_used()
    {
        var client = NewClient();
        var key = await client.CreateKeyAsync("kek", new CreateKeyOptions { KeyType = "RSA-HSM", KeySize = 2048 }, Ct);
        var requests = _vault.Requests;
        Assert.Equal(2, requests.Count);
        Assert.False(requests[0].HadAuthorization);
        Assert.Equal(0, requests[0].BodyLength);
        Assert.True(requests[1].HadAuthorization);
        Assert.True(requests[1].BodyLength > 0);
        var token = Assert.Single(_credential.Requests);
        Assert.Equal([_vault.VaultUri.GetLeftPart(UriPartial.Authority) + "/.default"], token.Scopes);
        Assert.Equal(LoopbackKeyVault.Tenant, token.TenantId);

        // Later requests reuse the cached challenge and token: no further 401 round trip.
        await client.GetKeyAsync("kek", cancellationToken: Ct);
        await client.WrapKeyAsync(key.KeyId, "RSA-OAEP-256", new byte[32], Ct);
        Assert.Equal(4, _vault.Requests.Count);
        Assert.All(_vault.Requests.Skip(1), r => Assert.True(r.HadAuthorization));
    }

    [Fact]
    public async Task A_scope_in_the_challenge_is_preferred_over_the_resource()
    {
        _vault.ChallengeScope = _vault.VaultUri.GetLeftPart(UriPartial.Authority) + "/custom.scope";
        var client = NewClient();
        await client.CreateKeyAsync("k", new CreateKeyOptions { KeyType = "RSA", KeySize = 2048 }, Ct);
        Assert.Equal([_vault.ChallengeScope], Assert.Single(_credential.Requests).Scopes);
    }

    [Fact]
    public async Task A_challenge_for_a_foreign_resource_is_refused_without_requesting_a_token()
    {
        _vault.ChallengeResource = "https://vault.azure.net";
        var client = NewClient();
        var ex = await Assert.ThrowsAsync<KeyVaultException>(() => client.GetKeyAsync("k", cancellationToken: Ct));
        Assert.Equal("ChallengeResourceMismatch", ex.ErrorCode);
        Assert.Empty(_credential.Requests);
    }

    [Fact]
    public async Task A_plain_http_vault_is_refused_so_tokens_never_travel_in_clear()
    {
        var client = new KeyVaultKeyClient(new Uri("http://127.0.0.1:9"), _credential, new KeyVaultClientOptions());
        var ex = await Assert.ThrowsAsync<KeyVaultException>(() => client.GetKeyAsync("k", cancellationToken: Ct));
        Assert.Equal("InsecureEndpoint", ex.ErrorCode);
        Assert.Empty(_credential.Requests);
    }

    [Fact]
    public async Task Create_get_and_rotate_return_versioned_kids()
    {
        var client = NewClient();
        var created = await client.CreateKeyAsync("kek", new CreateKeyOptions { KeyType = "RSA-HSM", KeySize = 3072, Tags = new Dictionary<string, string> { ["app"] = "cloudarchive" } }, Ct);
        Assert.Matches("^https://127\\.0\\.0\\.1:\\d+/keys/kek/[0-9a-f]{32}$", created.KeyId);
        Assert.Equal("RSA-HSM", created.KeyType);
        Assert.Equal(384, created.Modulus!.Length);
        Assert.Equal(["wrapKey", "unwrapKey"], created.KeyOperations);
        Assert.Equal("cloudarchive", created.Tags["app"]);
        Assert.True(created.Enabled);
        Assert.Equal("Recoverable+Purgeable", created.RecoveryLevel);

        var rotated = await client.RotateKeyAsync("kek", Ct);
        Assert.NotEqual(created.KeyId, rotated.KeyId);
        Assert.Equal("kek", rotated.Identifier.Name);
        Assert.Equal(rotated.KeyId, (await client.GetKeyAsync("kek", cancellationToken: Ct)).KeyId);
        Assert.Equal(created.KeyId, (await client.GetKeyAsync("kek", created.Identifier.Version, Ct)).KeyId);
    }

    [Fact]
    public async Task Wrap_and_unwrap_with_RSA_OAEP_256_interoperate_with_the_public_key()
    {
        var client = NewClient();
        var key = await client.CreateKeyAsync("kek", new CreateKeyOptions { KeyType = "RSA-HSM", KeySize = 2048 }, Ct);
        var cek = RandomNumberGenerator.GetBytes(32);
        using var rsa = RSA.Create(new RSAParameters { Modulus = key.Modulus, Exponent = key.Exponent });
        var wrappedLocally = rsa.Encrypt(cek, RSAEncryptionPadding.OaepSHA256);
        var (kid, unwrapped) = await client.UnwrapKeyAsync(key.KeyId, "RSA-OAEP-256", wrappedLocally, Ct);
        Assert.Equal(key.KeyId, kid);
        Assert.Equal(cek, unwrapped);
        var (wrapKid, wrapped) = await client.WrapKeyAsync(key.KeyId, "RSA-OAEP-256", cek, Ct);
        Assert.Equal(key.KeyId, wrapKid);
        Assert.Equal(cek, (await client.UnwrapKeyAsync(key.KeyId, "RSA-OAEP-256", wrapped, Ct)).Value);
    }

    [Fact]
    public async Task A256KW_works_with_an_oct_HSM_key_as_on_Managed_HSM()
    {
        var client = NewClient();
        var key = await client.CreateKeyAsync("hsmkek", new CreateKeyOptions { KeyType = "oct-HSM", KeySize = 256 }, Ct);
        var (_, wrapped) = await client.WrapKeyAsync(key.KeyId, "A256KW", new byte[40], Ct);
        Assert.Equal(48, wrapped.Length);
        Assert.Equal(new byte[40], (await client.UnwrapKeyAsync(key.KeyId, "A256KW", wrapped, Ct)).Value);
    }

    [Theory]
    [InlineData("RSA-HSM", "PS256")]
    [InlineData("RSA-HSM", "RS256")]
    [InlineData("EC-HSM", "ES256")]
    public async Task Sign_and_verify_audit_seal_digests(string kty, string alg)
    {
        var client = NewClient();
        var key = await client.CreateKeyAsync("seal", new CreateKeyOptions { KeyType = kty, KeySize = kty.StartsWith("RSA", StringComparison.Ordinal) ? 2048 : null, Curve = kty.StartsWith("EC", StringComparison.Ordinal) ? "P-256" : null, KeyOperations = ["sign", "verify"] }, Ct);
        var digest = SHA256.HashData("merkle root of the hour"u8);
        var (kid, signature) = await client.SignAsync(key.KeyId, alg, digest, Ct);
        Assert.Equal(key.KeyId, kid);
        Assert.True(await client.VerifyAsync(key.KeyId, alg, digest, signature, Ct));
        digest[0] ^= 1;
        Assert.False(await client.VerifyAsync(key.KeyId, alg, digest, signature, Ct));
        if (alg == "PS256")
        {
            using var rsa = RSA.Create(new RSAParameters { Modulus = key.Modulus, Exponent = key.Exponent });
            digest[0] ^= 1;
            Assert.True(rsa.VerifyHash(digest, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
        }
    }

    [Fact]
    public async Task Errors_carry_status_and_code_but_never_the_token()
    {
        var client = NewClient();
        var missing = await Assert.ThrowsAsync<KeyVaultException>(() => client.GetKeyAsync("nope", cancellationToken: Ct));
        Assert.Equal(404, missing.Status);
        Assert.Equal("KeyNotFound", missing.ErrorCode);
        Assert.NotNull(missing.RequestId);
        Assert.DoesNotContain(_vault.ExpectedToken, missing.ToString(), StringComparison.Ordinal);

        var key = await client.CreateKeyAsync("signonly", new CreateKeyOptions { KeyType = "RSA", KeySize = 2048, KeyOperations = ["sign"] }, Ct);
        var forbidden = await Assert.ThrowsAsync<KeyVaultException>(() => client.WrapKeyAsync(key.KeyId, "RSA-OAEP-256", new byte[32], Ct));
        Assert.Equal((403, "Forbidden"), (forbidden.Status, forbidden.ErrorCode));

        var kek = await client.CreateKeyAsync("kek", new CreateKeyOptions { KeyType = "RSA", KeySize = 2048 }, Ct);
        var badAlg = await Assert.ThrowsAsync<KeyVaultException>(() => client.WrapKeyAsync(kek.KeyId, "A256KW", new byte[32], Ct));
        Assert.Equal((400, "BadParameter"), (badAlg.Status, badAlg.ErrorCode));
        var secret = RandomNumberGenerator.GetBytes(256);
        var badUnwrap = await Assert.ThrowsAsync<KeyVaultException>(() => client.UnwrapKeyAsync(kek.KeyId, "RSA-OAEP-256", secret, Ct));
        Assert.Equal(400, badUnwrap.Status);
        Assert.DoesNotContain(Convert.ToBase64String(secret)[..20], badUnwrap.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unsupported_api_version_surfaces_the_service_error()
    {
        var options = _vault.ClientOptions();
        options.ApiVersion = "2016-10-01";
        var ex = await Assert.ThrowsAsync<KeyVaultException>(() => NewClient(options).GetKeyAsync("k", cancellationToken: Ct));
        Assert.Equal((400, "BadParameter"), (ex.Status, ex.ErrorCode));
    }

    [Fact]
    public async Task A_key_id_of_another_vault_is_rejected_before_any_request()
    {
        var client = NewClient();
        await Assert.ThrowsAsync<ArgumentException>(() => client.WrapKeyAsync("https://other.vault.azure.net/keys/k/0123", "RSA-OAEP-256", new byte[32], Ct));
        Assert.Empty(_vault.Requests);
    }

    [Theory]
    [InlineData("Bearer authorization=\"https://login.microsoftonline.com/tid\", resource=\"https://vault.azure.net\"", "https://vault.azure.net/.default", "tid")]
    [InlineData("Bearer authorization=\"https://login.windows.net/tid/\", resource=\"https://managedhsm.azure.net/\"", "https://managedhsm.azure.net/.default", "tid")]
    [InlineData("Bearer authorization_uri=\"https://login.microsoftonline.com/t2\", resource=\"https://vault.azure.net\", scope=\"https://vault.azure.net/.default\"", "https://vault.azure.net/.default", "t2")]
    public void Challenges_parse_as_the_research_notes_describe(string header, string scope, string tenant)
    {
        var challenge = KeyVaultChallenge.Parse(header);
        Assert.NotNull(challenge);
        Assert.Equal(scope, challenge.Scope);
        Assert.Equal(tenant, challenge.TenantId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Basic realm=\"x\"")]
    [InlineData("Bearer authorization=\"https://login.microsoftonline.com/tid\"")]
    public void Unusable_challenges_are_ignored(string? header) => Assert.Null(KeyVaultChallenge.Parse(header));
}
