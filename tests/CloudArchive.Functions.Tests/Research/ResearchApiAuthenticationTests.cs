using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudArchive.Azure.Identity;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Identity;
using CloudArchive.Functions.Research;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace CloudArchive.Functions.Tests.Research;

/// <summary>
/// Who the researcher API believes, over real HTTP: only an RS256 token of the configured issuer and tenant, for the
/// archive's audience, unexpired; never a header a client can write. Includes the review's reproductions.
/// </summary>
[Collection(ResearchApiCollection.Name)]
public sealed class ResearchApiAuthenticationTests(ResearchApiFixture fixture)
{
    private const string A = ResearchApiFixture.Agreement;
    private const string OtherTenant = "11111111-2222-4333-8444-555555555555";
    private static readonly string StudiesPath = $"/api/research/agreements/{A}/studies";
    private static readonly string InstancePath = $"/api/research/agreements/{A}/studies/2.25.1001/series/2.25.2001/instances/2.25.3001";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> BadTokens() => ["forged-payload", "expired", "wrong-audience", "wrong-tenant-iss-and-tid", "wrong-tid-only", "wrong-issuer", "alg-none", "other-key", "hs256-with-public-key", "not-a-jwt"];

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_token_that_fails_validation_is_401_with_a_Bearer_challenge_and_releases_nothing(string kind)
    {
        var me = NewId();
        var token = BadToken(kind, me);

        using var response = await SendWithTokenAsync(InstancePath, token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Equal("unauthenticated", await ErrorCodeAsync(response));
        Assert.NotEqual("application/dicom", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await fixture.AuditOfAsync(me));
    }

    [Fact]
    public async Task The_same_request_with_a_valid_token_succeeds_so_the_refusals_above_are_about_the_token()
    {
        using var response = await SendWithTokenAsync(InstancePath, fixture.Token(NewId()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_valid_token_without_Research_Read_is_403_missing_role_and_audited()
    {
        var me = NewId();

        using var response = await fixture.Client.SendAsync(ResearchApiFixture.GetWithRoles(StudiesPath, me, [ArchiveRoles.ArchiveRead, ArchiveRoles.ArchiveAdmin], ResearchApiFixture.RecipientGroup), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("missing-role", await ErrorCodeAsync(response));
        var line = Assert.Single(await fixture.AuditOfAsync(me)).Event;
        Assert.Equal(AuditEventType.SecurityAlert, line.EventType);
        Assert.Equal(["missing-role"], line.Details);
    }

    [Fact]
    public async Task A_token_with_a_groups_overage_is_403_groups_overage_saying_what_to_change()
    {
        var me = NewId();
        var token = Resign(fixture.Token(me), payload => payload["_claim_names"] = new JsonObject { ["groups"] = "src1" }, fixture.Issuer);

        using var response = await SendWithTokenAsync(StudiesPath, token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal("groups-overage", JsonDocument.Parse(body).RootElement.GetProperty("error").GetString());
        Assert.Contains("fewer groups", body, StringComparison.Ordinal);
        Assert.Equal(["groups-overage"], Assert.Single(await fixture.AuditOfAsync(me)).Event.Details);
    }

    [Fact]
    public async Task A_bare_client_principal_header_without_a_token_is_401()
    {
        var me = NewId();
        using var request = new HttpRequestMessage(HttpMethod.Get, StudiesPath);
        request.Headers.TryAddWithoutValidation(ClientPrincipalParser.PrincipalHeader, Principal(me, ResearchApiFixture.RecipientGroup));
        request.Headers.TryAddWithoutValidation(ClientPrincipalParser.PrincipalIdHeader, me);

        using var response = await fixture.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Empty(await fixture.AuditOfAsync(me));
    }

    [Fact]
    public async Task The_reviews_reproduction_a_forged_oid_claim_for_a_recipient_is_401_and_nothing_is_audited_in_their_name()
    {
        // The agreement names RecipientGroup; an object id equal to it would match as a recipient if it were believed.
        var recipient = ResearchApiFixture.RecipientGroup;
        var header = Convert.ToBase64String(Encoding.UTF8.GetBytes($$"""{"claims":[{"typ":"oid","val":"{{recipient}}"}]}"""));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/research/agreements/{A}/studies/2.25.1001/archive.zip");
        request.Headers.TryAddWithoutValidation(ClientPrincipalParser.PrincipalHeader, header);

        using var response = await fixture.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEqual("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await fixture.AuditOfAsync(recipient));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Configured_for_Entra_ID_the_reproduction_and_development_tokens_get_401_with_or_without_App_Service_Authentication(bool appServiceAuth)
    {
        // Entra ID mode: no development issuer. The instance is an unreachable https address, so the tenant's metadata
        // cannot be fetched here; nothing may be let in because of that.
        var app = await fixture.StartAppAsync(6000, 1000, extraSettings: new Dictionary<string, string?>
        {
            ["CloudArchive:Auth:DevelopmentIssuerKeyDirectory"] = string.Empty,
            ["CloudArchive:Auth:Instance"] = "https://127.0.0.1:1/",
            ["WEBSITE_AUTH_ENABLED"] = appServiceAuth ? "True" : null,
        });
        await using var _ = app;
        var address = Export.LocalHostArchive.Address(app);
        using var client = new HttpClient { BaseAddress = address };
        var recipient = ResearchApiFixture.RecipientGroup;
        var header = Convert.ToBase64String(Encoding.UTF8.GetBytes($$"""{"claims":[{"typ":"oid","val":"{{recipient}}"}]}"""));
        var developmentToken = fixture.Issuer.Mint(new DevelopmentTokenRequest
        {
            Issuer = DevelopmentTokenIssuer.IssuerUri(address),
            ObjectId = recipient,
            Roles = [ArchiveRoles.ResearchRead],
            Groups = [recipient],
        });
        var zip = $"/api/research/agreements/{A}/studies/2.25.1001/archive.zip";

        using var bare = new HttpRequestMessage(HttpMethod.Get, zip);
        bare.Headers.TryAddWithoutValidation(ClientPrincipalParser.PrincipalHeader, header);
        using var bareResponse = await client.SendAsync(bare, Ct);
        using var withToken = new HttpRequestMessage(HttpMethod.Get, zip);
        withToken.Headers.TryAddWithoutValidation(ClientPrincipalParser.PrincipalHeader, header);
        withToken.Headers.Authorization = new AuthenticationHeaderValue("Bearer", developmentToken);
        using var tokenResponse = await client.SendAsync(withToken, Ct);
        using var metadata = await client.GetAsync($"/dev-issuer/{DevelopmentTokenIssuer.DefaultTenantId}/v2.0/.well-known/openid-configuration", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, bareResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, tokenResponse.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, metadata.StatusCode); // the development issuer is not published either
        Assert.Null(app.Services.GetService<DevelopmentTokenIssuer>());
        Assert.Empty(await fixture.AuditOfAsync(recipient));
    }

    [Fact]
    public async Task Eighty_requests_with_fresh_forged_object_ids_get_no_200_and_are_rate_limited_per_address()
    {
        var app = await fixture.StartAppAsync(requestsPerMinute: 1, burst: 20);
        await using var _ = app;
        using var client = ResearchApiFixture.CreateClient(app);
        var statuses = new List<HttpStatusCode>();
        var forged = new List<string>();

        for (var i = 0; i < 80; i++)
        {
            var oid = NewId();
            forged.Add(oid);
            using var request = new HttpRequestMessage(HttpMethod.Get, StudiesPath);
            request.Headers.TryAddWithoutValidation(ClientPrincipalParser.PrincipalHeader, Principal(oid, ResearchApiFixture.RecipientGroup));
            using var response = await client.SendAsync(request, Ct);
            statuses.Add(response.StatusCode);
        }

        Assert.DoesNotContain(HttpStatusCode.OK, statuses);
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, s.ToString()));
        Assert.Equal(20, statuses.TakeWhile(s => s == HttpStatusCode.Unauthorized).Count());
        Assert.Equal(60, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Empty(await fixture.AuditOfAsync(forged[0]));

        // A caller with a valid token from the same address has a bucket of their own.
        using var valid = await client.SendAsync(ResearchApiFixture.AsRecipient(StudiesPath, NewId()), Ct);
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
    }

    [Fact]
    public async Task Two_hundred_requests_with_forged_principal_headers_add_no_audit_line_at_all()
    {
        // The review's flood: each request names a fresh object id in a forged header. Nothing proves who sent them, so
        // they are refused before anything is attributed to anyone, and the audit log does not grow.
        var before = await fixture.AuditLineCountAsync();
        var statuses = new List<HttpStatusCode>();

        for (var i = 0; i < 200; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, StudiesPath);
            request.Headers.TryAddWithoutValidation(ClientPrincipalParser.PrincipalHeader, Principal(NewId(), ResearchApiFixture.RecipientGroup));
            using var response = await fixture.Client.SendAsync(request, Ct);
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(before, await fixture.AuditLineCountAsync());
    }

    [Fact]
    public async Task Logs_and_error_bodies_carry_no_token_and_no_principal_value()
    {
        var logs = new LogRecorder();
        var app = await fixture.StartAppAsync(6000, 1000, services => services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs));
        await using var _ = app;
        using var client = ResearchApiFixture.CreateClient(app);
        var me = NewId();
        var issuer = DevelopmentTokenIssuer.IssuerUri(Export.LocalHostArchive.Address(app));
        string Mint(Func<DevelopmentTokenRequest, DevelopmentTokenRequest>? edit = null)
        {
            var request = new DevelopmentTokenRequest { Issuer = issuer, ObjectId = me, Roles = [ArchiveRoles.ResearchRead], Groups = [ResearchApiFixture.RecipientGroup] };
            return fixture.Issuer.Mint(edit is null ? request : edit(request));
        }

        string[] tokens =
        [
            Mint(),
            Mint(r => Copy(r, audience: "api://someone-else")),
            Mint(r => WithTimes(r, DateTimeOffset.UtcNow.AddHours(-3), TimeSpan.FromHours(1))),
            Mint(r => Copy(r, tenant: OtherTenant)),
            Mint(r => Copy(r, issuer: DevelopmentTokenIssuer.IssuerUri(Export.LocalHostArchive.Address(app), OtherTenant), tenant: OtherTenant)),
        ];
        var bodies = new List<string>();
        foreach (var token in tokens)
        {
            foreach (var path in new[] { StudiesPath, $"/api/research/agreements/{ResearchApiFixture.OtherAgreement}/studies" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await client.SendAsync(request, Ct);
                bodies.Add(await response.Content.ReadAsStringAsync(Ct));
            }
        }

        var logged = string.Join("\n", logs.Entries.Select(e => e.Text));
        Assert.NotEmpty(logs.Entries);
        foreach (var text in bodies.Append(logged))
        {
            Assert.DoesNotContain(me, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(ResearchApiFixture.RecipientGroup, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(OtherTenant, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("someone-else", text, StringComparison.Ordinal);
            Assert.All(tokens, t => Assert.DoesNotContain(t.Split('.')[1], text, StringComparison.Ordinal));
            Assert.All(tokens, t => Assert.DoesNotContain(t.Split('.')[2], text, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Two_hundred_refusals_of_one_actor_leave_a_bounded_number_of_audit_lines_that_count_them_all()
    {
        var me = NewId();
        var original = fixture.Clock.Now;
        try
        {
            for (var i = 0; i < 200; i++)
            {
                using var response = await fixture.Client.SendAsync(ResearchApiFixture.GetWithRoles(StudiesPath, me, []), Ct);
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            }

            Assert.Single(await fixture.AuditOfAsync(me));

            // The window passes; the next refusal (of anyone) writes the aggregate, and its own line opens a new window.
            fixture.Clock.Now = original + TimeSpan.FromMinutes(2);
            using (var next = await fixture.Client.SendAsync(ResearchApiFixture.GetWithRoles(StudiesPath, me, []), Ct))
            {
                Assert.Equal(HttpStatusCode.Forbidden, next.StatusCode);
            }
        }
        finally
        {
            fixture.Clock.Now = original;
        }

        var audit = await fixture.AuditOfAsync(me);
        Assert.Equal([["missing-role"], ["missing-role", "repeated=199"], ["missing-role"]], audit.Select(r => r.Event.Details.ToArray()));
        Assert.All(audit, r => Assert.Equal(AuditEventType.SecurityAlert, r.Event.EventType));
    }

    [Fact]
    public async Task A_500_inside_an_allowed_request_leaves_exactly_one_audit_line_recording_the_failure()
    {
        var app = await fixture.StartAppAsync(6000, 1000, services => services.AddSingleton<global::CloudArchive.Research.Publication.IResearchStore>(new ExplodingResearchStore(fixture.ResearchStore)));
        await using var _ = app;
        using var client = ResearchApiFixture.CreateClient(app);
        var me = NewId();

        using var response = await client.SendAsync(ResearchApiFixture.AsRecipient(StudiesPath, me), Ct);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("internal-error", await ErrorCodeAsync(response));
        var line = Assert.Single(await fixture.AuditOfAsync(me)).Event;
        Assert.Equal(AuditOutcome.SeriousFailure, line.Outcome);
        Assert.Equal(A, line.AgreementId);
        Assert.Equal(["request-failed", "internal-error"], line.Details);
    }

    [Fact]
    public async Task A_client_that_hangs_up_mid_request_leaves_one_minor_failure_line_not_a_serious_one()
    {
        var hanging = new HangingResearchStore(fixture.ResearchStore);
        var app = await fixture.StartAppAsync(6000, 1000, services => services.AddSingleton<global::CloudArchive.Research.Publication.IResearchStore>(hanging));
        await using var _ = app;
        using var client = ResearchApiFixture.CreateClient(app);
        var me = NewId();
        using var hangUp = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var request = client.SendAsync(ResearchApiFixture.AsRecipient(StudiesPath, me), hangUp.Token);
        await hanging.Listing.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await hangUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);

        // Anyone can hang up, so it must not raise the alerts a real fault raises.
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        IReadOnlyList<AuditRecord> audit;
        while ((audit = await fixture.AuditOfAsync(me)).Count == 0 && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(100, Ct);
        }

        var line = Assert.Single(audit).Event;
        Assert.Equal(AuditOutcome.MinorFailure, line.Outcome);
        Assert.Equal(["request-failed", "client-aborted"], line.Details);
    }

    [Fact]
    public async Task With_App_Service_Authentication_on_a_principal_header_naming_someone_else_is_401()
    {
        var app = await fixture.StartAppAsync(6000, 1000, extraSettings: new Dictionary<string, string?> { ["WEBSITE_AUTH_ENABLED"] = "True" });
        await using var _ = app;
        using var client = ResearchApiFixture.CreateClient(app);
        var me = NewId();
        var tenant = DevelopmentTokenIssuer.DefaultTenantId;

        using var other = ResearchApiFixture.AsRecipient(StudiesPath, me);
        other.Headers.TryAddWithoutValidation(ClientPrincipalParser.PrincipalHeader, Principal(NewId(), ResearchApiFixture.RecipientGroup, tenant));
        using var otherTenant = ResearchApiFixture.AsRecipient(StudiesPath, me);
        otherTenant.Headers.TryAddWithoutValidation(ClientPrincipalParser.PrincipalHeader, Principal(me, ResearchApiFixture.RecipientGroup, OtherTenant));
        using var otherId = ResearchApiFixture.AsRecipient(StudiesPath, me);
        otherId.Headers.TryAddWithoutValidation(ClientPrincipalParser.PrincipalIdHeader, NewId());
        using var same = ResearchApiFixture.AsRecipient(StudiesPath, me);
        same.Headers.TryAddWithoutValidation(ClientPrincipalParser.PrincipalHeader, Principal(me, null, tenant));
        same.Headers.TryAddWithoutValidation(ClientPrincipalParser.PrincipalIdHeader, me);

        using var otherResponse = await client.SendAsync(other, Ct);
        using var otherTenantResponse = await client.SendAsync(otherTenant, Ct);
        using var otherIdResponse = await client.SendAsync(otherId, Ct);
        using var sameResponse = await client.SendAsync(same, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, otherResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, otherTenantResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, otherIdResponse.StatusCode);
        Assert.Equal("Bearer", Assert.Single(otherResponse.Headers.WwwAuthenticate).Scheme);
        // Agreeing headers add nothing: the groups still come from the token (the header here has none).
        Assert.Equal(HttpStatusCode.OK, sameResponse.StatusCode);
    }

    [Fact]
    public async Task Without_App_Service_Authentication_the_principal_header_is_ignored_entirely()
    {
        var me = NewId();
        using var request = ResearchApiFixture.Get(StudiesPath, me); // a token without the recipient group
        request.Headers.TryAddWithoutValidation(ClientPrincipalParser.PrincipalHeader, Principal(me, ResearchApiFixture.RecipientGroup));

        using var response = await fixture.Client.SendAsync(request, Ct);

        // Groups come only from the token: the header's group does not make the caller a recipient.
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(["not-recipient"], Assert.Single(await fixture.AuditOfAsync(me)).Event.Details);
    }

    [Fact]
    public async Task The_client_address_comes_from_the_configured_headers_last_entry_only()
    {
        var app = await fixture.StartAppAsync(6000, 1000, extraSettings: new Dictionary<string, string?> { ["CloudArchive:ResearchApi:ForwardedHeader"] = "X-Forwarded-For" });
        await using var _ = app;
        using var client = ResearchApiFixture.CreateClient(app);
        var me = NewId();
        using var request = ResearchApiFixture.AsRecipient(StudiesPath, me);
        request.Headers.Add("X-Forwarded-For", "198.51.100.66, 203.0.113.7:50123");

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(IPAddress.Parse("203.0.113.7"), Assert.Single(await fixture.AuditOfAsync(me)).Event.Actor.ClientIp);
    }

    [Fact]
    public async Task The_local_host_publishes_the_development_issuers_metadata_and_public_key_only()
    {
        var tenant = DevelopmentTokenIssuer.DefaultTenantId;
        using var metadata = await fixture.Client.GetAsync($"/dev-issuer/{tenant}/v2.0/.well-known/openid-configuration", Ct);
        using var keys = await fixture.Client.GetAsync($"/dev-issuer/{tenant}/v2.0/discovery/keys", Ct);
        using var otherTenant = await fixture.Client.GetAsync($"/dev-issuer/{OtherTenant}/v2.0/.well-known/openid-configuration", Ct);

        Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
        using var json = JsonDocument.Parse(await metadata.Content.ReadAsStringAsync(Ct));
        Assert.Equal(DevelopmentTokenIssuer.IssuerUri(fixture.BaseAddress, tenant).AbsoluteUri, json.RootElement.GetProperty("issuer").GetString());
        var jwks = JsonNode.Parse(await keys.Content.ReadAsStringAsync(Ct))!["keys"]!.AsArray();
        var key = Assert.Single(jwks)!.AsObject();
        Assert.Equal("RSA", key["kty"]!.GetValue<string>());
        Assert.False(key.ContainsKey("d")); // never the private exponent
        Assert.Equal(HttpStatusCode.NotFound, otherTenant.StatusCode);
    }

    private string BadToken(string kind, string me)
    {
        var issuer = DevelopmentTokenIssuer.IssuerUri(fixture.BaseAddress);
        switch (kind)
        {
            case "forged-payload":
                // A valid token of someone else, its payload edited to name a recipient group: the signature no longer matches.
                var valid = fixture.Token(me, groups: []);
                var parts = valid.Split('.');
                var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
                payload["groups"] = new JsonArray(ResearchApiFixture.RecipientGroup);
                return parts[0] + "." + Base64UrlEncoder.Encode(payload.ToJsonString()) + "." + parts[2];
            case "expired":
                return fixture.Token(me, configure: r => WithTimes(r, DateTimeOffset.UtcNow.AddHours(-3), TimeSpan.FromHours(1)));
            case "wrong-audience":
                return fixture.Token(me, configure: r => Copy(r, audience: "api://someone-else"));
            case "wrong-tenant-iss-and-tid":
                return fixture.Token(me, configure: r => Copy(r, issuer: DevelopmentTokenIssuer.IssuerUri(fixture.BaseAddress, OtherTenant), tenant: OtherTenant));
            case "wrong-tid-only":
                return fixture.Token(me, configure: r => Copy(r, tenant: OtherTenant));
            case "wrong-issuer":
                return fixture.Token(me, configure: r => Copy(r, issuer: new Uri("https://login.microsoftonline.com/" + DevelopmentTokenIssuer.DefaultTenantId + "/v2.0")));
            case "alg-none":
                var unsigned = Resign(fixture.Token(me), _ => { }, null);
                return unsigned;
            case "other-key":
                var directory = Path.Combine(Path.GetTempPath(), "ca-other-issuer-" + Guid.NewGuid().ToString("N"));
                try
                {
                    using var other = DevelopmentTokenIssuer.LoadOrCreate(directory);
                    return other.Mint(new DevelopmentTokenRequest { Issuer = issuer, ObjectId = me, Roles = [ArchiveRoles.ResearchRead], Groups = [ResearchApiFixture.RecipientGroup] });
                }
                finally
                {
                    Directory.Delete(directory, recursive: true);
                }

            case "hs256-with-public-key":
                // The classic confusion: the published RSA key used as an HMAC secret.
                var jwk = JsonNode.Parse(fixture.Issuer.JwksJson())!["keys"]![0]!;
                var secret = Base64UrlEncoder.DecodeBytes(jwk["n"]!.GetValue<string>());
                return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = true }.CreateToken(new SecurityTokenDescriptor
                {
                    Issuer = issuer.AbsoluteUri,
                    Audience = DevelopmentTokenIssuer.DefaultAudience,
                    Claims = new Dictionary<string, object> { ["tid"] = DevelopmentTokenIssuer.DefaultTenantId, ["oid"] = me, ["roles"] = new[] { ArchiveRoles.ResearchRead }, ["groups"] = new[] { ResearchApiFixture.RecipientGroup } },
                    SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(secret) { KeyId = jwk["kid"]!.GetValue<string>() }, SecurityAlgorithms.HmacSha256),
                });
            case "not-a-jwt":
                return "definitely-not-a-token";
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    /// <summary>Re-encodes a token with an edited payload, signed by <paramref name="signer"/> or unsigned (<c>alg: none</c>).</summary>
    private static string Resign(string token, Action<JsonObject> edit, DevelopmentTokenIssuer? signer)
    {
        var parts = token.Split('.');
        var header = JsonNode.Parse(Base64UrlEncoder.Decode(parts[0]))!.AsObject();
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        edit(payload);
        if (signer is null)
        {
            header["alg"] = "none";
            header.Remove("kid");
            return Base64UrlEncoder.Encode(header.ToJsonString()) + "." + Base64UrlEncoder.Encode(payload.ToJsonString()) + ".";
        }

        // Signed properly with the trusted key: the edit is the issuer's own (e.g. an overage marker).
        var input = Base64UrlEncoder.Encode(header.ToJsonString()) + "." + Base64UrlEncoder.Encode(payload.ToJsonString());
        using var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(signer.KeyPath));
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return input + "." + Base64UrlEncoder.Encode(signature);
    }

    private static DevelopmentTokenRequest WithTimes(DevelopmentTokenRequest r, DateTimeOffset issued, TimeSpan lifetime) => new()
    {
        Issuer = r.Issuer, Audience = r.Audience, TenantId = r.TenantId, ObjectId = r.ObjectId, Roles = r.Roles, Groups = r.Groups, IssuedAt = issued, Lifetime = lifetime,
    };

    private static DevelopmentTokenRequest Copy(DevelopmentTokenRequest r, Uri? issuer = null, string? audience = null, string? tenant = null) => new()
    {
        Issuer = issuer ?? r.Issuer, Audience = audience ?? r.Audience, TenantId = tenant ?? r.TenantId, ObjectId = r.ObjectId, Roles = r.Roles, Groups = r.Groups,
    };

    private async Task<HttpResponseMessage> SendWithTokenAsync(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await fixture.Client.SendAsync(request, Ct);
    }

    /// <summary>An App Service principal header as the platform (or a forger) writes it.</summary>
    private static string Principal(string objectId, string? group, string? tenant = null)
    {
        var claims = new List<object> { new { typ = "http://schemas.microsoft.com/identity/claims/objectidentifier", val = objectId } };
        if (tenant is not null)
        {
            claims.Add(new { typ = "http://schemas.microsoft.com/identity/claims/tenantid", val = tenant });
        }

        if (group is not null)
        {
            claims.Add(new { typ = "groups", val = group });
        }

        return Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new { auth_typ = "aad", claims, name_typ = "name", role_typ = "roles" }));
    }

    private static string NewId() => Guid.NewGuid().ToString("D");

    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return json.RootElement.GetProperty("error").GetString();
    }
}
