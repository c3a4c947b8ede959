using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Identity;
using CloudArchive.Functions.Tests.EndToEnd;
using CloudArchive.Testing.Azurite;
using CloudArchive.Testing.Orthanc;
using Xunit;
using static CloudArchive.Functions.Tests.DicomWeb.Stow.StowRequests;

namespace CloudArchive.Functions.Tests.DicomWeb;

/// <summary>
/// The whole DICOMweb round trip with Orthanc as the only client: one Orthanc stores a study into the archive by
/// STOW-RS, another (an empty one, as at a reading site) finds it by QIDO-RS and retrieves it by WADO-RS from the
/// clinical root, and holds exactly the bytes the first one sent. The app is the local host `dev up` runs, on Azurite,
/// with its real ingest, encryption and audit. Skipped when Orthanc is not installed.
/// </summary>
public sealed class OrthancRoundTripTests : IClassFixture<AzuriteFixture>
{
    private readonly AzuriteFixture _azurite;

    public OrthancRoundTripTests(AzuriteFixture azurite) => _azurite = azurite;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_study_goes_in_by_stow_and_comes_back_by_qido_and_wado_byte_for_byte_through_orthanc()
    {
        Assert.SkipUnless(OrthancProcess.IsInstalled, "Orthanc with its DICOMweb plugin is not installed");
        await using var app = await IngestApp.StartAsync(_azurite);
        var caller = NewCaller();
        var server = new OrthancDicomWebServer(new Uri(app.Address, "api/dicomweb/"), new Dictionary<string, string>
        {
            ["Authorization"] = "Bearer " + Token(app, caller, ArchiveRoles.ArchiveUpload, ArchiveRoles.ArchiveRead),
            ["X-Purpose-Of-Use"] = "TREAT",
        });
        var servers = new Dictionary<string, OrthancDicomWebServer> { ["ca"] = server };

        // The sending site: two instances of a new study (samples the minimization policy leaves as they are).
        var study = SampleInstances.NewUid();
        var sent = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await using (var sender = await OrthancProcess.StartAsync(servers, Ct))
        {
            var ids = new List<string>();
            foreach (var sample in new[] { "CT_small.dcm", "MR_small.dcm" })
            {
                var sop = SampleInstances.NewUid();
                var bytes = await SampleInstances.CopyAsync(sample, study, sop, 3, withAddress: false);
                sent[sop] = bytes;
                var path = Path.Combine(Path.GetTempPath(), "roundtrip-" + Guid.NewGuid().ToString("N") + ".dcm");
                await File.WriteAllBytesAsync(path, bytes, Ct);
                try
                {
                    ids.Add(await sender.UploadAsync(path, Ct));
                }
                finally
                {
                    File.Delete(path);
                }
            }

            var (status, body) = await sender.StowAsync("ca", ids, Ct);
            Assert.True(status == HttpStatusCode.OK, $"STOW-RS through Orthanc: {(int)status} {body}\n{app.Logs.Text}");
        }

        Assert.Empty(await app.ListAsync(app.Incoming));
        Assert.Equal(sent.Count, (await new ArchiveInspector(app).ArchivedInstancesAsync()).Count);

        // The reading site starts empty and knows only the study's UID.
        await using var reader = await OrthancProcess.StartAsync(servers, Ct);
        var qido = await PostAsync(reader, "dicom-web/servers/ca/qido", new JsonObject
        {
            ["Uri"] = "/studies",
            ["Arguments"] = new JsonObject { ["StudyInstanceUID"] = study },
        });
        var found = JsonNode.Parse(qido)!.AsArray().Select(s => s!["0020000D"]!["Value"]!.GetValue<string>()).ToList();
        Assert.Equal([study], found);

        await PostAsync(reader, "dicom-web/servers/ca/retrieve", new JsonObject
        {
            ["Resources"] = new JsonArray(new JsonObject { ["Study"] = study }),
        });
        foreach (var (sop, bytes) in sent)
        {
            using var lookup = await reader.Client.PostAsync("tools/lookup", new StringContent(sop, Encoding.ASCII, "text/plain"), Ct);
            var id = JsonNode.Parse(await lookup.Content.ReadAsStringAsync(Ct))!.AsArray().Single(r => r!["Type"]!.GetValue<string>() == "Instance")!["ID"]!.GetValue<string>();
            Assert.Equal(bytes, await reader.GetInstanceFileAsync(id, Ct));
        }

        // One caller, three transactions, each in the audit log: stored, searched, retrieved.
        var lines = (await new ArchiveInspector(app).AuditLinesAsync()).Select(l => l.Record.Event).Where(e => e.Actor.Id.Contains(caller, StringComparison.Ordinal)).ToList();
        Assert.Equal(sent.Count, lines.Count(e => e.EventType == AuditEventType.InstancesTransferred));
        Assert.Contains(lines, e => e.EventType == AuditEventType.Query && e.PurposeOfUse == "TREAT");
        Assert.Contains(lines, e => e.EventType == AuditEventType.InstancesAccessed && e.Outcome == AuditOutcome.Success);
        Assert.DoesNotContain(lines, e => e.EventType == AuditEventType.SecurityAlert);
    }

    private static async Task<string> PostAsync(OrthancProcess orthanc, string path, JsonObject body)
    {
        using var response = await orthanc.Client.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}\n{orthanc.RecentOutput}");
        return text;
    }
}
