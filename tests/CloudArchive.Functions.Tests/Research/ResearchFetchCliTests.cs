using System.CommandLine;
using Xunit;

namespace CloudArchive.Functions.Tests.Research;

/// <summary><c>cloudarchive research fetch|studies|agreements</c> end to end through the researcher API on a loopback port.</summary>
[Collection(ResearchApiCollection.Name)]
public sealed class ResearchFetchCliTests(ResearchApiFixture fixture) : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "ca-fetch-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    [Fact]
    public async Task Fetch_writes_every_instance_byte_identical_verified_and_a_rerun_only_repairs_what_is_missing()
    {
        var me = Guid.NewGuid().ToString("D");

        var first = await RunAsync(["research", "fetch", "--agreement", ResearchApiFixture.Agreement, "--out", _out, .. Auth(me)]);

        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        Assert.Contains("--dev-principal signs a token with the development issuer's key file", first.Error, StringComparison.Ordinal);
        Assert.Contains("Fetched 14 file(s)", first.Output, StringComparison.Ordinal);
        foreach (var (study, series) in ResearchApiFixture.Layout)
        {
            foreach (var (seriesUid, instances) in series)
            {
                foreach (var (instance, file) in instances)
                {
                    var path = Path.Combine(_out, study, seriesUid, instance + ".dcm");
                    Assert.Equal(await File.ReadAllBytesAsync(ResearchApiFixture.SamplePath(file), Ct), await File.ReadAllBytesAsync(path, Ct));
                }
            }
        }

        Assert.Empty(Directory.EnumerateFiles(_out, "*.part", SearchOption.AllDirectories));
        await ResearchApiEndpointTests.AssertDcmdumpParsesAsync(Path.Combine(_out, "2.25.1001", "2.25.2002", "2.25.3003.dcm"));
        await ResearchApiEndpointTests.AssertDcmdumpParsesAsync(Path.Combine(_out, "2.25.1003", "2.25.2004", "2.25.4004.dcm"));
        var audit = await fixture.AuditOfAsync(me);
        // The 10-file study came as one WADO-RS study retrieval; the small ones instance by instance.
        Assert.Single(audit, r => r.Event.Details.SequenceEqual(["wado-retrieve", "instances=10"]));
        Assert.Equal(4, audit.Count(r => r.Event.Details.SequenceEqual(["wado-retrieve", "instances=1"])));

        var second = await RunAsync(["research", "fetch", "--agreement", ResearchApiFixture.Agreement, "--out", _out, .. Auth(me)]);
        Assert.True(second.ExitCode == 0, second.Output + second.Error);
        Assert.Contains("Fetched 0 file(s), 0 bytes; 14 already complete", second.Output, StringComparison.Ordinal);

        File.Delete(Path.Combine(_out, "2.25.1001", "2.25.2001", "2.25.3002.dcm"));
        var truncated = Path.Combine(_out, "2.25.1003", "2.25.2004", "2.25.4005.dcm");
        await File.WriteAllBytesAsync(truncated, (await File.ReadAllBytesAsync(truncated, Ct))[..200], Ct);
        var before = (await fixture.AuditOfAsync(me)).Count;

        var third = await RunAsync(["research", "fetch", "--agreement", ResearchApiFixture.Agreement, "--out", _out, .. Auth(me)]);

        Assert.True(third.ExitCode == 0, third.Output + third.Error);
        Assert.Contains("Fetched 2 file(s)", third.Output, StringComparison.Ordinal);
        Assert.Contains("12 already complete", third.Output, StringComparison.Ordinal);
        Assert.Equal(await File.ReadAllBytesAsync(ResearchApiFixture.SamplePath("JPEG2000.dcm"), Ct), await File.ReadAllBytesAsync(truncated, Ct));
        var fetches = (await fixture.AuditOfAsync(me)).Skip(before).Where(r => r.Event.Details.Contains("wado-retrieve")).ToList();
        Assert.Equal(2, fetches.Count);
        Assert.All(fetches, r => Assert.Equal(["wado-retrieve", "instances=1"], r.Event.Details));
    }

    [Fact]
    public async Task Fetch_of_named_studies_only_downloads_those_and_an_unpublished_study_is_refused()
    {
        var me = Guid.NewGuid().ToString("D");

        var result = await RunAsync(["research", "fetch", "--agreement", ResearchApiFixture.Agreement, "--out", _out, "--study", "2.25.1002", .. Auth(me)]);
        var unknown = await RunAsync(["research", "fetch", "--agreement", ResearchApiFixture.Agreement, "--out", _out, "--study", "2.25.5555", .. Auth(me)]);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Equal(["2.25.1002"], Directory.EnumerateDirectories(_out).Select(Path.GetFileName));
        Assert.True(File.Exists(Path.Combine(_out, "2.25.1002", "2.25.2003", "2.25.3004.dcm")));
        Assert.Equal(4, unknown.ExitCode);
        Assert.Contains("2.25.5555", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outsider_and_expired_agreement_fail_with_the_APIs_reason_and_write_nothing()
    {
        var outsider = await RunAsync(["research", "fetch", "--agreement", ResearchApiFixture.Agreement, "--out", _out, "--api", fixture.BaseAddress.AbsoluteUri, "--dev-principal", Guid.NewGuid().ToString("D"), "--settings", fixture.CliSettingsFile]);
        var expired = await RunAsync(["research", "fetch", "--agreement", ResearchApiFixture.ExpiredAgreement, "--out", _out, .. Auth(Guid.NewGuid().ToString("D"))]);

        Assert.Equal(4, outsider.ExitCode);
        Assert.Contains("(403 forbidden)", outsider.Error, StringComparison.Ordinal);
        Assert.Equal(4, expired.ExitCode);
        Assert.Contains("(403 agreement-expired)", expired.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_out));
    }

    [Fact]
    public async Task Studies_and_agreements_list_what_the_recipient_may_see()
    {
        var me = Guid.NewGuid().ToString("D");

        var studies = await RunAsync(["research", "studies", "--agreement", ResearchApiFixture.Agreement, .. Auth(me)]);
        var agreements = await RunAsync(["research", "agreements", .. Auth(me)]);

        Assert.True(studies.ExitCode == 0, studies.Error);
        Assert.Contains("2.25.1001", studies.Output, StringComparison.Ordinal);
        Assert.Contains("2.25.1003", studies.Output, StringComparison.Ordinal);
        Assert.Contains("3 study(ies), 14 instance(s)", studies.Output, StringComparison.Ordinal);
        Assert.True(agreements.ExitCode == 0, agreements.Error);
        Assert.Contains(ResearchApiFixture.Agreement, agreements.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(ResearchApiFixture.ExpiredAgreement, agreements.Output, StringComparison.Ordinal);
        Assert.Contains("1 agreement(s)", agreements.Output, StringComparison.Ordinal);
        var audit = await fixture.AuditOfAsync(me);
        Assert.Equal(["list-studies", "list-agreements"], audit.Select(r => r.Event.Details[0]));

        var studiesJson = await RunAsync(["research", "studies", "--agreement", ResearchApiFixture.Agreement, "--json", .. Auth(me)]);
        var agreementsJson = await RunAsync(["research", "agreements", "--json", .. Auth(me)]);

        Assert.True(studiesJson.ExitCode == 0, studiesJson.Error);
        var listed = System.Text.Json.JsonDocument.Parse(studiesJson.Output).RootElement.EnumerateArray().ToList();
        Assert.Equal(3, listed.Count);
        Assert.Equal(14, listed.Sum(s => s.GetProperty("instances").GetInt32()));
        Assert.True(agreementsJson.ExitCode == 0, agreementsJson.Error);
        Assert.Equal([ResearchApiFixture.Agreement], System.Text.Json.JsonDocument.Parse(agreementsJson.Output).RootElement.EnumerateArray().Select(a => a.GetProperty("id").GetString()!).ToArray());
    }

    [Fact]
    public async Task A_study_retrieval_that_breaks_off_mid_transfer_keeps_the_parts_received_and_completes_file_by_file()
    {
        var breaking = global::CloudArchive.Research.Publication.ResearchNames.Instance(ResearchApiFixture.Agreement, "2.25.1003", "2.25.2004", "2.25.4006");

        // The DICOMweb index is built (and stored) by a first search, so the breaking store's one failure hits the transfer.
        using (var warm = await fixture.Client.SendAsync(ResearchApiFixture.AsRecipient($"/api/research/agreements/{ResearchApiFixture.Agreement}/dicomweb/studies", Guid.NewGuid().ToString("D")), Ct))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, warm.StatusCode);
        }

        var app = await fixture.StartAppAsync(6000, 1000, services =>
            Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<global::CloudArchive.Research.Publication.IResearchStore>(services, new BreakingResearchStore(fixture.ResearchStore, breaking, breakAfter: 1000)));
        await using var _ = app;
        using var client = ResearchApiFixture.CreateClient(app);
        var me = Guid.NewGuid().ToString("D");

        var result = await RunAsync(["research", "fetch", "--agreement", ResearchApiFixture.Agreement, "--out", _out, "--study", "2.25.1003", "--api", client.BaseAddress!.AbsoluteUri, "--dev-principal", me, "--dev-group", ResearchApiFixture.RecipientGroup, "--settings", fixture.CliSettingsFile]);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("Fetched 10 file(s)", result.Output, StringComparison.Ordinal);
        foreach (var (instance, file) in ResearchApiFixture.Layout["2.25.1003"]["2.25.2004"])
        {
            Assert.Equal(await File.ReadAllBytesAsync(ResearchApiFixture.SamplePath(file), Ct), await File.ReadAllBytesAsync(Path.Combine(_out, "2.25.1003", "2.25.2004", instance + ".dcm"), Ct));
        }

        Assert.Empty(Directory.EnumerateFiles(_out, "*.part", SearchOption.AllDirectories));
        Assert.False(Directory.Exists(Path.Combine(_out, ".cloudarchive-partial")));
        var audit = await fixture.AuditOfAsync(me);
        Assert.Single(audit, r => r.Event.Details.SequenceEqual(["wado-retrieve", "instances=10"]));

        // Parts that arrived whole before the break were kept; the rest (at least 4006..4010, and whatever the reset
        // swallowed of the bytes in flight) came instance by instance.
        Assert.InRange(audit.Count(r => r.Event.Details.SequenceEqual(["wado-retrieve", "instances=1"])), 5, 10);
    }

    [Fact]
    public async Task Without_the_Research_Read_role_the_fetch_fails_with_missing_role_and_writes_nothing()
    {
        var result = await RunAsync(["research", "fetch", "--agreement", ResearchApiFixture.Agreement, "--out", _out, .. Auth(Guid.NewGuid().ToString("D")), "--dev-role", "Archive.Read"]);

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("(403 missing-role)", result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_out));
    }

    [Fact]
    public async Task Dev_principal_against_a_non_loopback_API_is_refused_before_anything_is_sent()
    {
        var result = await RunAsync(["research", "agreements", "--api", "https://archive.example.org/", "--dev-principal", Guid.NewGuid().ToString("D"), "--settings", fixture.CliSettingsFile]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--api must be a loopback URL", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_API_exits_3()
    {
        var port = System.Net.Sockets.TcpListener.Create(0);
        port.Start();
        var free = ((System.Net.IPEndPoint)port.LocalEndpoint).Port;
        port.Stop();

        var result = await RunAsync(["research", "studies", "--agreement", ResearchApiFixture.Agreement, "--api", $"http://127.0.0.1:{free}/", "--dev-principal", Guid.NewGuid().ToString("D"), "--settings", fixture.CliSettingsFile]);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("not reachable", result.Error, StringComparison.Ordinal);
    }

    private string[] Auth(string objectId) =>
        ["--api", fixture.BaseAddress.AbsoluteUri, "--dev-principal", objectId, "--dev-group", ResearchApiFixture.RecipientGroup, "--settings", fixture.CliSettingsFile];

    private static Task<(int ExitCode, string Output, string Error)> RunAsync(string[] args) => InProcessCli.RunAsync(args);
}
