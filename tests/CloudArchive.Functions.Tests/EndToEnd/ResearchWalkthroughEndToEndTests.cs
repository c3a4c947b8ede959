using System.Globalization;
using System.Net;
using System.Text;
using CloudArchive.Azure.Composition;
using CloudArchive.Azure.Identity;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Keys;
using CloudArchive.Dicom;
using CloudArchive.Functions.Export;
using CloudArchive.Research.Export;
using CloudArchive.Research.Publication;
using CloudArchive.Testing.Azurite;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CloudArchive.Functions.Tests.EndToEnd;

/// <summary>
/// The researcher walkthrough of the README, end to end on Azurite with every real part: studies of several patients
/// with planted PHI ingested through IngestInstance; the agreement created and consents imported with the CLI; the
/// export run through ExportResearchCopies (a delivery through the local host's middleware, as the host makes it) and
/// then with <c>cloudarchive export run</c>; the researcher
/// fetching with <c>cloudarchive research fetch</c> and with <c>curl</c> through the researcher API; an outsider refused;
/// a revocation removing a patient's copies; a closed agreement refused.
/// </summary>
public sealed class ResearchWalkthroughEndToEndTests : IClassFixture<AzuriteFixture>, IDisposable
{
    private const string AgreementId = "walk-ct-cohort";
    private const string RecipientGroup = "5d0c2f7e-8a41-4b6e-9f3d-2c7a1e9b4d55";
    private const string Planted = SampleInstances.Planted;

    private static readonly (DicomTag Tag, string Value)[] PlantedText =
    [
        (new DicomTag(0x0008, 0x0050), Planted + "ACC"),
        (new DicomTag(0x0008, 0x0080), Planted + " INSTITUTION OF ZEBRA"),
        (new DicomTag(0x0008, 0x0090), Planted + "REFERRER^ALICE"),
        (new DicomTag(0x0008, 0x1030), Planted + " CHEST CT FOR ZEBRA"),
        (new DicomTag(0x0008, 0x1070), Planted + "OPERATOR^BOB"),
        (new DicomTag(0x0010, 0x4000), "Patient " + Planted + "NAME^ZEBRA called about results"),
        (new DicomTag(0x0018, 0x1000), Planted + "SERIAL"),
    ];

    private readonly AzuriteFixture _azurite;
    private readonly string _work = Path.Combine(Path.GetTempPath(), "ca-walk-" + Guid.NewGuid().ToString("N"));

    public ResearchWalkthroughEndToEndTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        Directory.CreateDirectory(_work);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Researcher_walkthrough_releases_only_consented_selected_studies_free_of_planted_phi_and_accounts_for_every_access()
    {
        await using var app = await IngestApp.StartAsync(_azurite);
        var exportQueue = AzuriteFixture.UniqueName("exq");
        var settings = await WriteCliSettingsAsync(app, exportQueue);

        // Six studies of five patients. Patient 1 has a CT study (consented) and an MR study (not selected); patient 2
        // denies CT; patient 3 has no consent; patient 4 refused; patient 5 consented.
        var plan = new (int Patient, string Sample, int Instances)[] { (1, "CT_small.dcm", 3), (1, "MR_small.dcm", 1), (2, "CT_small.dcm", 2), (3, "CT_small.dcm", 1), (4, "CT_small.dcm", 2), (5, "CT_small.dcm", 1) };
        var originalUids = new List<string>();
        foreach (var (patient, sample, instances) in plan)
        {
            var studyUid = SampleInstances.NewUid();
            originalUids.Add(studyUid);
            for (var i = 0; i < instances; i++)
            {
                var sopUid = SampleInstances.NewUid();
                originalUids.Add(sopUid);
                var name = $"gateway/{patient}/{studyUid}/{i}.dcm";
                await app.UploadAsync(name, await PlantAsync(sample, studyUid, sopUid, patient));
                var handled = await app.DeliverAsync(name);
                Assert.True(handled.Outcome == IngestOutcome.Archived && handled.FailedDeliveries == 0, $"{handled.Outcome} {handled.ReasonCode}");
            }
        }

        var from = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var until = DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var created = await CliAsync("agreements", "create", "--id", AgreementId, "--purpose", "HRESCH", "--recipient", RecipientGroup,
            "--valid-from", from, "--valid-until", until, "--copy-retention", "P1Y", "--modality", "CT", "--title", "Walkthrough cohort",
            "--options", "retainLongitudinalModifiedDates", "--settings", settings);
        Assert.True(created.ExitCode == 0, created.Output + created.Error);

        var csv = Path.Combine(_work, "consents.csv");
        await File.WriteAllLinesAsync(csv,
        [
            "patient_id,issuer,status,period_start,period_end,data_from,data_to,purposes,actors,deny_modalities,deny_body_parts,consent_id",
            $"{Planted}ID1,,active,2020-01-01,,,,HRESCH,,,,c-1",
            $"{Planted}ID2,,active,2020-01-01,,,,HRESCH,,CT,,c-2",
            $"{Planted}ID4,,rejected,,,,,,,,,c-4",
            $"{Planted}ID5,,active,2020-01-01,,,,HRESCH;TREAT,,,,c-5",
        ], Ct);
        var imported = await CliAsync("consents", "import", "--csv", csv, "--settings", settings);
        Assert.True(imported.ExitCode == 0, imported.Output + imported.Error);
        Assert.DoesNotContain(Planted, imported.Output + imported.Error, StringComparison.Ordinal);

        // The export, delivered like a queue message from export-requests (base64, as the SDKs enqueue it).
        await app.DeliverExportAsync(Payloads.Base64(ExportRequest(AgreementId)));
        var summary = LastExportSummary(app);
        Assert.Contains("6 archive studies; written 2, unchanged 0, removed 0", summary, StringComparison.Ordinal);
        foreach (var reason in new[] { "not-selected=1", "denied-by-provision=1", "consent-missing=1", "consent-not-active=1" })
        {
            Assert.Contains(reason, summary, StringComparison.Ordinal);
        }

        var released = (await app.ListAsync(app.Container("Research"), AgreementId + "/studies/")).Select(b => b.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(4, released.Count);
        var researchStudies = released.Select(n => ResearchNames.ParseInstance(n)!.StudyUid).Distinct().ToList();
        Assert.Equal(2, researchStudies.Count);
        var forbidden = originalUids.Concat([Planted, "ZEBRA", "ALICE", "BOB"]).ToList();
        foreach (var name in released)
        {
            AssertFree(await app.ReadAllAsync(app.Container("Research"), name), forbidden, name);
        }

        var manifest = ExportManifest.Parse(await app.ReadAllAsync(app.Container("Research"), ResearchNames.Manifest(AgreementId)));
        Assert.Equal(6, manifest.ArchiveStudies);
        Assert.Equal(manifest.ArchiveStudies, manifest.Exported.Studies + manifest.ExcludedByReason.Values.Sum());
        var admin = ExportManifest.Parse(await app.ReadAllAsync(app.Container("Control"), ExportNames.AdminManifest(AgreementId)));
        Assert.Equal(4, admin.ExcludedStudies!.Count);

        // A second run, from the CLI, gives the same research UIDs and rewrites nothing.
        var rerun = await CliAsync("export", "run", "--agreement", AgreementId, "--settings", settings);
        Assert.True(rerun.ExitCode == 0, rerun.Output + rerun.Error);
        Assert.Equal(released, (await app.ListAsync(app.Container("Research"), AgreementId + "/studies/")).Select(b => b.Name).Order(StringComparer.Ordinal).ToList());

        // The researcher fetches everything with the CLI through the API; the files parse and carry no planted value.
        var researcher = Guid.NewGuid().ToString("D");
        var api = app.Address.AbsoluteUri;
        var outDir = Path.Combine(_work, "out");
        var fetched = await CliAsync("research", "fetch", "--agreement", AgreementId, "--out", outDir, "--api", api, "--dev-principal", researcher, "--dev-group", RecipientGroup, "--settings", settings);
        Assert.True(fetched.ExitCode == 0, fetched.Output + fetched.Error);
        var files = Directory.EnumerateFiles(outDir, "*.dcm", SearchOption.AllDirectories).ToList();
        Assert.Equal(4, files.Count);
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(outDir, file).Split(Path.DirectorySeparatorChar);
            var blob = ResearchNames.Instance(AgreementId, relative[0], relative[1], Path.GetFileNameWithoutExtension(relative[2]));
            var bytes = await File.ReadAllBytesAsync(file, Ct);
            Assert.Equal(await app.ReadAllAsync(app.Container("Research"), blob), bytes);
            AssertFree(bytes, forbidden, blob);
            await DicomFileCheck.AssertParsesAsync(file, Ct);
        }

        // And with a plain HTTP client and a bearer token, as the README's curl lines do (curl itself when installed).
        var one = ResearchNames.ParseInstance(released[0])!;
        var curlOut = Path.Combine(_work, "curl.dcm");
        var url = $"{api}api/research/agreements/{AgreementId}/studies/{one.StudyUid}/series/{one.SeriesUid}/instances/{one.InstanceUid}";
        var token = DevelopmentToken(app, researcher, RecipientGroup);
        if (ExternalTool.Exists("curl"))
        {
            var curl = await ExternalTool.RunAsync("curl", ["-sSf", "-H", "Authorization: Bearer " + token, "-o", curlOut, url], Ct);
            Assert.True(curl.ExitCode == 0, curl.StdErr);
        }
        else
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            using var client = new HttpClient();
            using var response = await client.SendAsync(request, Ct);
            response.EnsureSuccessStatusCode();
            await File.WriteAllBytesAsync(curlOut, await response.Content.ReadAsByteArrayAsync(Ct), Ct);
        }

        Assert.Equal(await app.ReadAllAsync(app.Container("Research"), released[0]), await File.ReadAllBytesAsync(curlOut, Ct));
        await DicomFileCheck.AssertParsesAsync(curlOut, Ct);

        // An outsider is refused, and the refusal is a security alert.
        var outsider = Guid.NewGuid().ToString("D");
        var refused = await CliAsync("research", "fetch", "--agreement", AgreementId, "--out", Path.Combine(_work, "outsider"), "--api", api, "--dev-principal", outsider, "--settings", settings);
        Assert.Equal(4, refused.ExitCode);
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"api/research/agreements/{AgreementId}/studies"))
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", DevelopmentToken(app, outsider));
            using var client = new HttpClient { BaseAddress = app.Address };
            using var response = await client.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        // Patient 1 withdraws: the revocation queues a re-export of the agreement, and that run (the queued message,
        // delivered as the host would) removes the study's copies and audits it.
        var revoked = await CliAsync("consents", "revoke", "--patient-id", Planted + "ID1", "--reason", "withdrawn by letter", "--settings", settings);
        Assert.True(revoked.ExitCode == 0, revoked.Output + revoked.Error);
        Assert.Contains($"Queued a re-export of agreement {AgreementId}", revoked.Output, StringComparison.Ordinal);
        var queued = Assert.Single((await app.Connection.Queues.GetQueueClient(exportQueue).ReceiveMessagesAsync(8, cancellationToken: Ct)).Value);
        await app.DeliverExportAsync(queued.Body.ToString());
        Assert.Contains("written 0, unchanged 1, removed 1", LastExportSummary(app), StringComparison.Ordinal);
        var remaining = await app.ListAsync(app.Container("Research"), AgreementId + "/studies/");
        Assert.Single(remaining);

        // Closed agreement: further fetches are refused.
        var closed = await CliAsync("agreements", "close", AgreementId, "--reason", "study finished", "--settings", settings);
        Assert.True(closed.ExitCode == 0, closed.Output + closed.Error);
        var afterClose = await CliAsync("research", "fetch", "--agreement", AgreementId, "--out", Path.Combine(_work, "late"), "--api", api, "--dev-principal", researcher, "--dev-group", RecipientGroup, "--settings", settings);
        Assert.Equal(4, afterClose.ExitCode);

        // Every step is in the audit log, which verifies, and no line carries a planted value.
        var audit = (await new ArchiveInspector(app).AuditLinesAsync()).Select(l => l.Record.Event).ToList();
        var p1 = await PseudonymAsync(app, Planted + "ID1");
        Assert.Equal(plan.Sum(p => p.Instances), audit.Count(e => e.EventType == AuditEventType.Import && e.Outcome == AuditOutcome.Success));
        Assert.Equal(2, audit.Count(e => e.EventType == AuditEventType.Export && e.Action == AuditAction.Create));
        Assert.Single(audit, e => e.EventType == AuditEventType.Export && e.Action == AuditAction.Delete && e.Patient?.Value == p1);
        Assert.Contains(audit, e => e.EventType == AuditEventType.ApplicationActivity && e.Details.Contains("agreement-created"));
        Assert.Contains(audit, e => e.EventType == AuditEventType.ApplicationActivity && e.Details.Contains("consent-revoked") && e.Patient?.Value == p1);
        Assert.Contains(audit, e => e.EventType == AuditEventType.InstancesAccessed && e.Actor.Id == researcher && e.AgreementId == AgreementId);
        Assert.Contains(audit, e => e.EventType == AuditEventType.SecurityAlert && e.Actor.Id == outsider);
        Assert.Contains(audit, e => e.EventType == AuditEventType.SecurityAlert && e.Actor.Id == researcher);
        foreach (var item in await app.ListAsync(app.Audit))
        {
            AssertFree(await app.ReadAllAsync(app.Audit, item.Name), forbidden, item.Name);
        }

        // Nothing the app logged along the way carries a planted or original identifying value either.
        foreach (var entry in app.Logs.Entries)
        {
            AssertFree(Encoding.UTF8.GetBytes(entry.Text), forbidden, $"log line of {entry.Category}");
        }

        var verify = await CliAsync("audit", "verify", "--settings", settings);
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
    }

    private static string ExportRequest(string agreementId) =>
        System.Text.Json.JsonSerializer.Serialize(new { agreementId, requestedBy = "svc:walkthrough-test" });

    /// <summary>The one-line summary ExportResearchCopies logs for its latest run.</summary>
    private static string LastExportSummary(IngestApp app) =>
        app.Logs.AppEntries.Last(e => e.Category == typeof(ExportResearchCopies).FullName && e.Message.Contains("archive studies", StringComparison.Ordinal)).Message;

    private static async Task<string> PseudonymAsync(IngestApp app, string patientId)
    {
        using var namer = await app.Services.GetRequiredService<Keyring>().GetIndexKeyNamerAsync(Ct);
        return PatientPseudonymizer.Pseudonym(namer, patientId, null)!;
    }

    /// <summary>A token from the app's development issuer, as <c>research fetch --dev-principal</c> mints it.</summary>
    private static string DevelopmentToken(IngestApp app, string objectId, params string[] groups) =>
        app.Services.GetRequiredService<DevelopmentTokenIssuer>().Mint(new DevelopmentTokenRequest
        {
            Issuer = DevelopmentTokenIssuer.IssuerUri(app.Address),
            ObjectId = objectId,
            Roles = [Core.Identity.ArchiveRoles.ResearchRead],
            Groups = groups,
        });

    /// <summary>A <c>KEY=VALUE</c> settings file for CLI commands against the app's archive (same storage, containers, KEK, policies and development issuer).</summary>
    private async Task<string> WriteCliSettingsAsync(IngestApp app, string exportQueue)
    {
        var root = RepositoryPaths.FindRoot();
        var lines = new List<string>
        {
            "CloudArchive:Queues:ExportRequests=" + exportQueue,
            "CloudArchive:Storage:ConnectionString=" + _azurite.ConnectionString,
            "CloudArchive:Keys:Provider=Local",
            "CloudArchive:Keys:LocalKeyFile=" + app.KeyDirectory,
            "CloudArchive:Auth:DevelopmentIssuerKeyDirectory=" + TestArchiveSettings.DevelopmentIssuerDirectory(app.KeyDirectory),
            "CloudArchive:Policies:RetentionFiles=" + Path.Combine(root, "data/policies/retention/default.json"),
            "CloudArchive:Policies:MinimizationFile=" + Path.Combine(root, "data/policies/minimization/default.json"),
        };
        lines.AddRange(ArchiveContainerNames.Roles.Select(role => $"CloudArchive:Containers:{role}={app.Containers.For(role)}"));
        var path = Path.Combine(_work, "cli.env");
        await File.WriteAllLinesAsync(path, lines, Ct);
        return path;
    }

    private static async Task<byte[]> PlantAsync(string sample, string studyUid, string sopUid, int patient)
    {
        var bytes = await SampleInstances.CopyAsync(sample, studyUid, sopUid, patient, withAddress: true);
        await using var file = await DicomFile.ReadAsync(new MemoryStream(bytes), cancellationToken: Ct);
        foreach (var (tag, value) in PlantedText)
        {
            file.Dataset.SetString(tag, value);
        }

        var output = new MemoryStream();
        await file.WriteAsync(output, cancellationToken: Ct);
        return output.ToArray();
    }

    private static void AssertFree(byte[] bytes, IEnumerable<string> tokens, string where)
    {
        foreach (var token in tokens)
        {
            Assert.True(bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(token)) < 0, $"{where} contains a planted or original identifying value");
        }
    }

    private static Task<(int ExitCode, string Output, string Error)> CliAsync(params string[] args) => InProcessCli.RunAsync(args);
}
