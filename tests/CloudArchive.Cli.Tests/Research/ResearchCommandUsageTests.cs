using CloudArchive.Azure.Identity;
using CloudArchive.Cli.Commands.Research;
using CloudArchive.Cli.Tests.Operations;
using Microsoft.IdentityModel.JsonWebTokens;
using Xunit;

namespace CloudArchive.Cli.Tests.Research;

/// <summary>
/// <c>research</c> command-line checks that need no API (the end-to-end fetch through the API lives in
/// CloudArchive.Functions.Tests/Research/ResearchFetchCliTests).
/// </summary>
public sealed class ResearchCommandUsageTests : IDisposable
{
    private const string Oid = "5f2b9c1e-7a4d-4e8b-9c3f-2d1e0a9b8c7d";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ca-research-cli-" + Guid.NewGuid().ToString("N"));

    public ResearchCommandUsageTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("Give --scope", "research", "fetch", "--agreement", "alpha-study", "--out", "OUT", "--api", "https://example.invalid")]
    [InlineData("not both", "research", "fetch", "--agreement", "alpha-study", "--out", "OUT", "--scope", "api://x/.default", "--dev-principal", Oid)]
    [InlineData("must use https", "research", "studies", "--agreement", "alpha-study", "--api", "http://archive.example.org", "--scope", "api://x/.default")]
    [InlineData("--agreement must be an agreement id", "research", "studies", "--agreement", "Alpha Study", "--dev-principal", Oid)]
    [InlineData("must be GUIDs", "research", "studies", "--agreement", "alpha-study", "--dev-principal", "root")]
    [InlineData("must be GUIDs", "research", "studies", "--agreement", "alpha-study", "--dev-principal", Oid, "--dev-group", "admins")]
    [InlineData("--dev-group needs --dev-principal", "research", "agreements", "--dev-group", Oid, "--api", "https://example.invalid")]
    [InlineData("--study must be a UID", "research", "fetch", "--agreement", "alpha-study", "--out", "OUT", "--study", "../../etc", "--dev-principal", Oid)]
    [InlineData("without query or credentials", "research", "agreements", "--api", "https://user:pw@example.invalid", "--dev-principal", Oid)]
    [InlineData("without query or credentials", "research", "agreements", "--api", "ftp://example.invalid", "--dev-principal", Oid)]
    [InlineData("--api must be a loopback URL", "research", "agreements", "--api", "https://archive.example.org", "--dev-principal", Oid)]
    [InlineData("--api must be a loopback URL", "research", "agreements", "--api", "http://10.1.2.3:7071", "--dev-principal", Oid)]
    [InlineData("--dev-role needs --dev-principal", "research", "agreements", "--dev-role", "Research.Read", "--api", "https://example.invalid")]
    [InlineData("needs the development issuer's key directory", "research", "agreements", "--api", "http://127.0.0.1:7071", "--dev-principal", Oid)]
    public async Task Bad_invocations_are_usage_errors_that_contact_nothing_and_write_nothing(string message, params string[] args)
    {
        var outDir = Path.Combine(_dir, "out");
        var result = await OperationsCli.RunAsync(args.Select(a => a == "OUT" ? outDir : a).ToArray());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public async Task Development_credentials_send_a_bearer_token_of_the_development_issuer_with_the_given_roles_and_groups()
    {
        var issuerDirectory = Path.Combine(_dir, "dev-issuer");
        using (DevelopmentTokenIssuer.LoadOrCreate(issuerDirectory))
        {
        }

        var issuer = DevelopmentTokenIssuer.IssuerUri(new Uri("http://127.0.0.1:7071/"));
        using var credentials = ResearchCredentials.Development(DevelopmentTokenIssuer.Load(issuerDirectory), new DevelopmentTokenRequest
        {
            Issuer = issuer,
            ObjectId = Oid,
            Roles = ["Research.Read"],
            Groups = ["6f1c7c8e-0d5b-4a39-9a43-1b8a7f0d2c11"],
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1:7071/api/research/agreements");

        await credentials.ApplyAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal("Bearer", request.Headers.Authorization!.Scheme);
        Assert.False(request.Headers.Contains("X-MS-CLIENT-PRINCIPAL"));
        var token = new JsonWebToken(request.Headers.Authorization.Parameter);
        Assert.Equal("RS256", token.Alg);
        Assert.Equal(issuer.AbsoluteUri, token.Issuer);
        Assert.Equal(Oid, token.GetClaim("oid").Value);
        Assert.Equal(DevelopmentTokenIssuer.DefaultTenantId, token.GetClaim("tid").Value);
        Assert.Equal(["Research.Read"], token.Claims.Where(c => c.Type == "roles").Select(c => c.Value));
        Assert.Equal(["6f1c7c8e-0d5b-4a39-9a43-1b8a7f0d2c11"], token.Claims.Where(c => c.Type == "groups").Select(c => c.Value));
    }

    [Fact]
    public async Task A_file_counts_as_complete_only_with_the_listed_size_and_the_DICM_preamble()
    {
        var sample = Path.Combine(Testing.RepositoryPaths.FindRoot(), "testdata", "dicom", "MR_small.dcm");
        var copy = Path.Combine(_dir, "a.dcm");
        File.Copy(sample, copy);
        var length = new FileInfo(copy).Length;
        var noPreamble = Path.Combine(_dir, "b.dcm");
        File.Copy(Path.Combine(Testing.RepositoryPaths.FindRoot(), "testdata", "dicom", "rtstruct.dcm"), noPreamble);
        var tiny = Path.Combine(_dir, "c.dcm");
        await File.WriteAllBytesAsync(tiny, new byte[100], TestContext.Current.CancellationToken);

        Assert.True(ResearchFetcher.IsComplete(copy, length));
        Assert.False(ResearchFetcher.IsComplete(copy, length + 1));
        Assert.False(ResearchFetcher.IsComplete(Path.Combine(_dir, "missing.dcm"), length));
        Assert.False(ResearchFetcher.IsComplete(noPreamble, new FileInfo(noPreamble).Length));
        Assert.False(ResearchFetcher.IsComplete(tiny, 100));
    }
}
