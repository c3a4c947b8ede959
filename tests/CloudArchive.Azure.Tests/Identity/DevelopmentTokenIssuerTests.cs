using System.Text.Json;
using CloudArchive.Azure.Identity;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace CloudArchive.Azure.Tests.Identity;

public sealed class DevelopmentTokenIssuerTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ca-devissuer-" + Guid.NewGuid().ToString("N"));

    private static readonly Uri Issuer = DevelopmentTokenIssuer.IssuerUri(new Uri("http://127.0.0.1:7071/api/research"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_minted_token_validates_against_the_published_key_set_with_its_claims()
    {
        using var issuer = DevelopmentTokenIssuer.LoadOrCreate(_directory);
        var token = issuer.Mint(new DevelopmentTokenRequest { Issuer = Issuer, ObjectId = "11111111-1111-4111-8111-111111111111", Roles = ["Research.Read"], Groups = ["22222222-2222-4222-8222-222222222222"] });

        var result = await Validate(token, issuer.JwksJson());

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal("11111111-1111-4111-8111-111111111111", result.Claims["oid"]);
        Assert.Equal(DevelopmentTokenIssuer.DefaultTenantId, result.Claims["tid"]);
        Assert.Equal("http://127.0.0.1:7071/dev-issuer/" + DevelopmentTokenIssuer.DefaultTenantId + "/v2.0", ((JsonWebToken)result.SecurityToken).Issuer);
    }

    [Fact]
    public async Task The_key_survives_a_reload_and_another_directory_has_another_key()
    {
        string token;
        using (var first = DevelopmentTokenIssuer.LoadOrCreate(_directory))
        {
            token = first.Mint(new DevelopmentTokenRequest { Issuer = Issuer, ObjectId = "a" });
        }

        using var reloaded = DevelopmentTokenIssuer.Load(_directory);
        Assert.True((await Validate(token, reloaded.JwksJson())).IsValid);

        using var other = DevelopmentTokenIssuer.LoadOrCreate(Path.Combine(_directory, "other"));
        Assert.NotEqual(reloaded.KeyId, other.KeyId);
        Assert.False((await Validate(token, other.JwksJson())).IsValid);
    }

    [Fact]
    public void The_key_file_is_private_to_its_owner_and_the_key_set_holds_no_private_part()
    {
        using var issuer = DevelopmentTokenIssuer.LoadOrCreate(_directory);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(issuer.KeyPath));
        }

        using var jwks = JsonDocument.Parse(issuer.JwksJson());
        var key = Assert.Single(jwks.RootElement.GetProperty("keys").EnumerateArray().ToList());
        Assert.False(key.TryGetProperty("d", out _));
        Assert.False(key.TryGetProperty("p", out _));
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute)]
    public void A_key_other_users_could_read_or_replace_is_refused(UnixFileMode keyMode, UnixFileMode directoryMode)
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix file modes");
            return;
        }

        DevelopmentTokenIssuer.LoadOrCreate(_directory).Dispose();
        File.SetUnixFileMode(Path.Combine(_directory, DevelopmentTokenIssuer.KeyFileName), keyMode);
        File.SetUnixFileMode(_directory, directoryMode);

        var ex = Assert.Throws<UnauthorizedAccessException>(() => DevelopmentTokenIssuer.Load(_directory));

        Assert.Contains("chmod", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loading_without_a_key_says_how_to_create_one()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => DevelopmentTokenIssuer.Load(_directory));
        Assert.Contains("dev up", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_discovery_document_points_at_the_key_set_under_the_issuer()
    {
        using var doc = JsonDocument.Parse(DevelopmentTokenIssuer.OpenIdConfigurationJson(Issuer));
        Assert.Equal(Issuer.AbsoluteUri, doc.RootElement.GetProperty("issuer").GetString());
        Assert.Equal(Issuer.AbsoluteUri + "/discovery/keys", doc.RootElement.GetProperty("jwks_uri").GetString());
    }

    private static Task<TokenValidationResult> Validate(string token, string jwks) =>
        new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer.AbsoluteUri,
            ValidAudience = DevelopmentTokenIssuer.DefaultAudience,
            IssuerSigningKeys = new JsonWebKeySet(jwks).GetSigningKeys(),
        });
}
