using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Identity;
using CloudArchive.Testing.Orthanc;
using Xunit;

namespace CloudArchive.Functions.Tests.DicomWeb.Clinical;

/// <summary>
/// Orthanc with its DICOMweb plugin as a real client of the clinical root: it finds a study by QIDO-RS and retrieves it by
/// WADO-RS into its own store (multipart/related; type="application/dicom"; transfer-syntax=*), and what it stored is
/// byte for byte what was uploaded. Skipped when Orthanc is not installed.
/// </summary>
[Collection(ClinicalDicomWebCollection.Name)]
public sealed class ClinicalOrthancTests(ClinicalDicomWebFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Orthanc_finds_a_study_by_qido_and_retrieves_it_by_wado_byte_for_byte()
    {
        if (!OrthancProcess.IsInstalled)
        {
            Assert.Skip("Orthanc and its DICOMweb plugin are not installed (apt-get install orthanc orthanc-dicomweb).");
        }

        var oid = Guid.NewGuid().ToString("D");
        var server = new OrthancDicomWebServer(new Uri(fixture.App.Address, "api/dicomweb/"), new Dictionary<string, string>
        {
            ["Authorization"] = "Bearer " + fixture.Token(oid, ArchiveRoles.ArchiveRead),
            ["X-Purpose-Of-Use"] = "TREAT",
        });
        await using var orthanc = await OrthancProcess.StartAsync(new Dictionary<string, OrthancDicomWebServer> { ["ca"] = server }, Ct);

        var qido = await PostAsync(orthanc, "dicom-web/servers/ca/qido", new JsonObject
        {
            ["Uri"] = "/studies",
            ["Arguments"] = new JsonObject { ["PatientID"] = ClinicalDicomWebFixture.PatientA },
        });
        // Orthanc re-tags the answer in its own JSON form: {"Name": ..., "Value": "<first value>", "vr": ...} per attribute.
        var studies = JsonNode.Parse(qido)!.AsArray().Select(s => s!["0020000D"]!["Value"]!.GetValue<string>()).ToList();
        Assert.True(studies.Contains(fixture.StudyA), qido);
        Assert.DoesNotContain(fixture.StudyShredded, studies);

        await PostAsync(orthanc, "dicom-web/servers/ca/retrieve", new JsonObject
        {
            ["Resources"] = new JsonArray(new JsonObject { ["Study"] = fixture.StudyA }),
        });
        foreach (var sop in fixture.InstancesA1.Append(fixture.InstanceA2))
        {
            using var lookup = await orthanc.Client.PostAsync("tools/lookup", new StringContent(sop, Encoding.ASCII, "text/plain"), Ct);
            var id = JsonNode.Parse(await lookup.Content.ReadAsStringAsync(Ct))!.AsArray().Single(r => r!["Type"]!.GetValue<string>() == "Instance")!["ID"]!.GetValue<string>();
            Assert.Equal(fixture.Uploaded[sop], await orthanc.GetInstanceFileAsync(id, Ct));
        }

        var lines = await fixture.AuditOfAsync(oid);
        Assert.Contains(lines, l => l.Event.EventType == AuditEventType.Query && l.Event.PurposeOfUse == "TREAT");
        Assert.Contains(lines, l => l.Event.EventType == AuditEventType.InstancesAccessed && l.Event.Outcome == AuditOutcome.Success);
        Assert.DoesNotContain(lines, l => l.Event.EventType == AuditEventType.SecurityAlert);
    }

    private static async Task<string> PostAsync(OrthancProcess orthanc, string path, JsonObject body)
    {
        using var response = await orthanc.Client.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}\n{orthanc.RecentOutput}");
        return text;
    }
}
