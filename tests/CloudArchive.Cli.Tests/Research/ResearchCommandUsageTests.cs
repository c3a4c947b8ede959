using System.Text;
using System.Text.Json;
using CloudArchive.Cli.Commands.Research;
using CloudArchive.Cli.Tests.Operations;
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
    public async Task Bad_invocations_are_usage_errors_that_contact_nothing_and_write_nothing(string message, params string[] args)
    {
        var outDir = Path.Combine(_dir, "out");
        var result = await OperationsCli.RunAsync(args.Select(a => a == "OUT" ? outDir : a).ToArray());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void Development_principal_header_is_the_App_Service_client_principal_shape()
    {
        var header = ResearchCredentials.EncodePrincipal(Oid, ["6f1c7c8e-0d5b-4a39-9a43-1b8a7f0d2c11"]);

        using var json = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(header)));
        Assert.Equal("aad", json.RootElement.GetProperty("auth_typ").GetString());
        var claims = json.RootElement.GetProperty("claims").EnumerateArray().Select(c => (c.GetProperty("typ").GetString(), c.GetProperty("val").GetString())).ToList();
        Assert.Equal(
            [("http://schemas.microsoft.com/identity/claims/objectidentifier", Oid), ("groups", "6f1c7c8e-0d5b-4a39-9a43-1b8a7f0d2c11")],
            claims);
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
