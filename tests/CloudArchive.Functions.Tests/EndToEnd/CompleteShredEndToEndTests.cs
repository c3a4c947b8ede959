using System.Globalization;
using System.Net;
using CloudArchive.Azure.Composition;
using CloudArchive.Azure.Identity;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Ingest;
using CloudArchive.Research.Publication;
using CloudArchive.Testing.Azurite;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CloudArchive.Functions.Tests.EndToEnd;

/// <summary>
/// A complete shred with two app instances on one Azurite (two composition roots, each with its own key cache), both
/// holding the study's key: after <c>cloudarchive keys shred</c> returns, (a) the study's research copies are gone (blobs
/// absent, 404 from either instance's researcher API), (b) a re-upload of an archived instance is not a duplicate and
/// archives nothing, (c) a new instance of the study is never archived, whichever instance ingests it.
/// </summary>
public sealed class CompleteShredEndToEndTests : IClassFixture<AzuriteFixture>, IDisposable
{
    private const string AgreementId = "shred-cohort";
    private const string RecipientGroup = "5d0c2f7e-8a41-4b6e-9f3d-2c7a1e9b4d55";
    private readonly AzuriteFixture _azurite;
    private readonly string _work = Path.Combine(Path.GetTempPath(), "ca-shred-" + Guid.NewGuid().ToString("N"));

    public CompleteShredEndToEndTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        Directory.CreateDirectory(_work);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task After_keys_shred_returns_no_instance_serves_archives_or_accepts_anything_of_the_study()
    {
        await using var first = await IngestApp.StartAsync(_azurite);
        await using var second = await IngestApp.StartSecondInstanceAsync(_azurite, first);
        var settings = await WriteCliSettingsAsync(first);

        // One study of a consented patient, ingested half by each instance: both now hold its key in their caches.
        var studyUid = SampleInstances.NewUid();
        var uploads = new List<(string Name, byte[] Bytes)>();
        for (var i = 0; i < 4; i++)
        {
            var bytes = await SampleInstances.CopyAsync("CT_small.dcm", studyUid, SampleInstances.NewUid(), 1, withAddress: false);
            var name = $"gateway/shred/{i}.dcm";
            uploads.Add((name, bytes));
            var app = i % 2 == 0 ? first : second;
            await app.UploadAsync(name, bytes);
            Assert.Equal(IngestOutcome.Archived, (await app.DeliverAsync(name)).Outcome);
        }

        var archived = await first.ListAsync(first.Archive, "studies/");
        Assert.Equal(4, archived.Count);
        var studyKey = archived[0].Name.Split('/')[1];

        var from = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var until = DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await CliOkAsync("agreements", "create", "--id", AgreementId, "--purpose", "HRESCH", "--recipient", RecipientGroup, "--valid-from", from, "--valid-until", until,
            "--copy-retention", "P1Y", "--modality", "CT", "--title", "Shred cohort", "--settings", settings);
        var csv = Path.Combine(_work, "consents.csv");
        await File.WriteAllLinesAsync(csv,
        [
            "patient_id,issuer,status,period_start,period_end,data_from,data_to,purposes,actors,deny_modalities,deny_body_parts,consent_id",
            $"{SampleInstances.Planted}ID1,,active,2020-01-01,,,,HRESCH,,,,c-1",
        ], Ct);
        await CliOkAsync("consents", "import", "--csv", csv, "--settings", settings);
        await first.DeliverExportAsync(Payloads.Base64(System.Text.Json.JsonSerializer.Serialize(new { agreementId = AgreementId, requestedBy = "svc:shred-test" })));
        var copies = (await first.ListAsync(first.Container("Research"), AgreementId + "/studies/")).Select(b => b.Name).ToList();
        Assert.Equal(4, copies.Count);
        var one = ResearchNames.ParseInstance(copies[0])!;
        var url = $"api/research/agreements/{AgreementId}/studies/{one.StudyUid}/series/{one.SeriesUid}/instances/{one.InstanceUid}";
        Assert.Equal(HttpStatusCode.OK, await GetAsync(second, url));

        var shred = await InProcessCli.RunAsync(["keys", "shred", "--study", studyKey, "--reason", "erasure-test", "--yes", "--settings", settings]);
        Assert.True(shred.ExitCode == 0, shred.Output + shred.Error);
        Assert.Contains("Research copies withdrawn: 4 instances under 1 agreements", shred.Output, StringComparison.Ordinal);

        // (a) The research copies went with the shred, not at the next export.
        Assert.Empty(await first.ListAsync(first.Container("Research"), AgreementId + "/studies/"));
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync(second, url));
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync(first, url));

        // (b) A re-upload of an archived instance, through the instance that still had the key cached, is refused, not a duplicate.
        await second.UploadAsync(uploads[1].Name, uploads[1].Bytes);
        var again = await second.DeliverAsync(uploads[1].Name);
        // (How a refused upload is kept or removed belongs to the quarantine; what matters here is that it is refused.)
        Assert.NotEqual(IngestOutcome.Duplicate, again.Outcome);
        Assert.NotEqual(IngestOutcome.Archived, again.Outcome);
        Assert.EndsWith("study-shredded", again.ReasonCode, StringComparison.Ordinal);

        // (c) A new instance of the study is never archived, through either instance.
        foreach (var app in new[] { second, first })
        {
            var name = $"gateway/shred/new-{Guid.NewGuid():N}.dcm";
            await app.UploadAsync(name, await SampleInstances.CopyAsync("CT_small.dcm", studyUid, SampleInstances.NewUid(), 1, withAddress: false));
            var handled = await app.DeliverAsync(name);
            Assert.NotEqual(IngestOutcome.Archived, handled.Outcome);
            Assert.EndsWith("study-shredded", handled.ReasonCode, StringComparison.Ordinal);
        }

        Assert.Equal(archived.Select(b => b.Name), (await first.ListAsync(first.Archive, "studies/")).Select(b => b.Name));

        var audit = (await new ArchiveInspector(first).AuditLinesAsync()).Select(l => l.Record.Event).ToList();
        Assert.Contains(audit, e => e.EventType == AuditEventType.StudyDeleted && e.Study?.Value == studyKey && e.Details.Contains("study-shred-complete") && e.Details.Contains("reason=erasure-test"));
        Assert.Contains(audit, e => e.EventType == AuditEventType.Export && e.Action == AuditAction.Delete && e.Study?.Value == studyKey && e.Details.Contains("reason=study-shredded"));
    }

    private static async Task<HttpStatusCode> GetAsync(IngestApp app, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        var token = app.Services.GetRequiredService<DevelopmentTokenIssuer>().Mint(new DevelopmentTokenRequest
        {
            Issuer = DevelopmentTokenIssuer.IssuerUri(app.Address),
            ObjectId = "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9",
            Roles = [Core.Identity.ArchiveRoles.ResearchRead],
            Groups = [RecipientGroup],
        });
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var client = new HttpClient { BaseAddress = app.Address };
        using var response = await client.SendAsync(request, Ct);
        return response.StatusCode;
    }

    private static async Task CliOkAsync(params string[] args)
    {
        var result = await InProcessCli.RunAsync(args);
        Assert.True(result.ExitCode == 0, result.Output + result.Error);
    }

    private async Task<string> WriteCliSettingsAsync(IngestApp app)
    {
        var root = RepositoryPaths.FindRoot();
        var lines = new List<string>
        {
            "CloudArchive:Storage:ConnectionString=" + _azurite.ConnectionString,
            "CloudArchive:Keys:Provider=Local",
            "CloudArchive:Keys:LocalKeyFile=" + app.KeyDirectory,
            "CloudArchive:Policies:RetentionFiles=" + Path.Combine(root, "data/policies/retention/default.json"),
            "CloudArchive:Policies:MinimizationFile=" + Path.Combine(root, "data/policies/minimization/default.json"),
        };
        lines.AddRange(ArchiveContainerNames.Roles.Select(role => $"CloudArchive:Containers:{role}={app.Containers.For(role)}"));
        var path = Path.Combine(_work, "cli.env");
        await File.WriteAllLinesAsync(path, lines, Ct);
        return path;
    }
}
