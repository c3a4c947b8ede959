using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CloudArchive.Functions.Tests.Research;
using CloudArchive.Testing.Orthanc;
using Xunit;

namespace CloudArchive.Functions.Tests.DicomWeb;

/// <summary>
/// Orthanc's DICOMweb plugin as a real client of a research service root (QIDO-RS with <c>Accept: */*</c>, WADO-RS
/// with <c>transfer-syntax=*</c>), configured with the agreement's root and a recipient's development token: it finds
/// studies and retrieves one, and what it stores is byte for byte the de-identified copy. Skipped without Orthanc.
/// </summary>
[Collection(ResearchApiCollection.Name)]
public sealed class ResearchOrthancTests(ResearchApiFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Orthanc_finds_studies_by_qido_and_retrieves_one_by_wado_byte_identical()
    {
        Assert.SkipUnless(OrthancProcess.IsInstalled, "Orthanc with its DICOMweb plugin is not installed");
        var token = fixture.Token(Guid.NewGuid().ToString("D"));
        var root = new Uri(fixture.BaseAddress, $"api/research/agreements/{ResearchApiFixture.Agreement}/dicomweb/");
        await using var orthanc = await OrthancProcess.StartAsync(
            new Dictionary<string, OrthancDicomWebServer> { ["research"] = new(root, new Dictionary<string, string> { ["Authorization"] = "Bearer " + token }) }, Ct);

        using var qido = await orthanc.Client.PostAsJsonAsync("dicom-web/servers/research/qido", new JsonObject
        {
            ["Uri"] = "/studies",
            ["Arguments"] = new JsonObject { ["ModalitiesInStudy"] = "CT" },
        }, Ct);
        var found = await qido.Content.ReadAsStringAsync(Ct);
        Assert.True(qido.StatusCode == HttpStatusCode.OK, found + "\n" + orthanc.RecentOutput);
        // Orthanc re-renders the DICOM JSON it received in its own shape: "Value" is the string itself.
        var studies = JsonNode.Parse(found)!.AsArray().Select(s => (string?)s!["0020000D"]!["Value"]).ToList();
        Assert.Equal(["2.25.1001", "2.25.1003"], studies);

        using var retrieve = await orthanc.Client.PostAsJsonAsync("dicom-web/servers/research/retrieve", new JsonObject
        {
            ["Resources"] = new JsonArray(new JsonObject { ["Study"] = "2.25.1001" }),
        }, Ct);
        Assert.True(retrieve.IsSuccessStatusCode, await retrieve.Content.ReadAsStringAsync(Ct) + "\n" + orthanc.RecentOutput);

        var ids = JsonNode.Parse(await orthanc.Client.GetStringAsync("instances", Ct))!.AsArray().Select(n => (string)n!).ToList();
        var held = new List<byte[]>();
        foreach (var id in ids)
        {
            held.Add(await orthanc.GetInstanceFileAsync(id, Ct));
        }

        var copies = ResearchApiFixture.Layout["2.25.1001"].Values.SelectMany(s => s).Select(i => File.ReadAllBytes(ResearchApiFixture.SamplePath(i.File))).ToList();
        // The study's MR_small and MR_small_implicit copies share one SOP Instance UID inside (the same sample in two
        // syntaxes), so Orthanc keeps one of them: 2 instances, each byte for byte one of the copies sent.
        Assert.Equal(2, held.Count);
        Assert.All(held, h => Assert.Contains(copies, c => c.AsSpan().SequenceEqual(h)));
        Assert.Contains(held, h => h.AsSpan().SequenceEqual(copies[^1]));
    }
}
