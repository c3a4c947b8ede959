using System.Net;
using System.Text.Json.Nodes;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Identity;
using Xunit;

namespace CloudArchive.Functions.Tests.DicomWeb.Clinical;

/// <summary>QIDO-RS over the originals: keyed look-ups only, matching on the decrypted index records, every level, 204, 400, audit.</summary>
[Collection(ClinicalDicomWebCollection.Name)]
public sealed class ClinicalQidoTests(ClinicalDicomWebFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Studies_of_a_patient_are_found_by_patient_id_with_original_values_and_audited_per_study()
    {
        var oid = Guid.NewGuid().ToString("D");
        using var client = fixture.Client(oid, "TREAT", ArchiveRoles.ArchiveRead);
        using var response = await client.GetAsync($"api/dicomweb/studies?PatientID={ClinicalDicomWebFixture.PatientB}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/dicom+json", response.Content.Headers.ContentType!.MediaType);
        var study = Assert.Single(await ResultsAsync(response))!.AsObject();
        Assert.Equal(fixture.StudyB, Value(study, "0020000D"));
        Assert.Equal(ClinicalDicomWebFixture.PatientB, Value(study, "00100020"));
        Assert.Equal("CLINICAL^TEST^" + ClinicalDicomWebFixture.PatientB, study["00100010"]!["Value"]![0]!["Alphabetic"]!.GetValue<string>());
        Assert.Equal("20230611", Value(study, "00080020"));
        Assert.Equal(3, study["00201208"]!["Value"]![0]!.GetValue<int>());
        Assert.Equal(["MR", "OT", "US"], study["00080061"]!["Value"]!.AsArray().Select(v => v!.GetValue<string>()).Order().ToArray());
        Assert.EndsWith($"/api/dicomweb/studies/{fixture.StudyB}", Value(study, "00081190"));

        var line = Assert.Single(await fixture.AuditOfAsync(oid)).Event;
        Assert.Equal(AuditEventType.Query, line.EventType);
        Assert.Equal("TREAT", line.PurposeOfUse);
        Assert.Equal(await fixture.KeyAsync(fixture.StudyB), line.Study!.Value.Value);
        Assert.Contains("results=1", line.Details);
    }

    [Fact]
    public async Task Accession_number_and_study_uid_lists_are_keyed_look_ups()
    {
        using var client = fixture.Clinician();
        using var byAccession = await client.GetAsync($"api/dicomweb/studies?AccessionNumber={ClinicalDicomWebFixture.AccessionA}", Ct);
        Assert.Equal(fixture.StudyA, Value(Assert.Single(await ResultsAsync(byAccession))!.AsObject(), "0020000D"));

        using var byList = await client.GetAsync($"api/dicomweb/studies?StudyInstanceUID={fixture.StudyA},{fixture.StudyB}", Ct);
        Assert.Equal(new[] { fixture.StudyA, fixture.StudyB }.Order(), (await ResultsAsync(byList)).Select(s => Value(s!.AsObject(), "0020000D")).Order());
    }

    [Fact]
    public async Task Series_and_instances_are_searchable_at_every_level_of_the_hierarchy()
    {
        using var client = fixture.Clinician();
        using var series = await client.GetAsync($"api/dicomweb/studies/{fixture.StudyA}/series", Ct);
        var found = await ResultsAsync(series);
        Assert.Equal(new[] { fixture.SeriesA1, fixture.SeriesA2 }.Order(), found.Select(s => Value(s!.AsObject(), "0020000E")).Order());

        using var ct = await client.GetAsync($"api/dicomweb/studies/{fixture.StudyA}/series?Modality=CT", Ct);
        Assert.Equal(fixture.SeriesA2, Value(Assert.Single(await ResultsAsync(ct))!.AsObject(), "0020000E"));

        using var instances = await client.GetAsync($"api/dicomweb/studies/{fixture.StudyA}/series/{fixture.SeriesA1}/instances", Ct);
        Assert.Equal(fixture.InstancesA1.Order(), (await ResultsAsync(instances)).Select(i => Value(i!.AsObject(), "00080018")).Order());

        using var bySeries = await client.GetAsync($"api/dicomweb/series?SeriesInstanceUID={fixture.SeriesJpeg}", Ct);
        Assert.Equal(fixture.StudyB, Value(Assert.Single(await ResultsAsync(bySeries))!.AsObject(), "0020000D"));

        using var studyInstances = await client.GetAsync($"api/dicomweb/instances?PatientID={ClinicalDicomWebFixture.PatientA}&SOPInstanceUID={fixture.InstanceA2}", Ct);
        Assert.Equal(fixture.InstanceA2, Value(Assert.Single(await ResultsAsync(studyInstances))!.AsObject(), "00080018"));
    }

    [Fact]
    public async Task Date_ranges_limit_and_offset_narrow_the_answer_and_no_match_is_204()
    {
        using var client = fixture.Clinician();
        using var inRange = await client.GetAsync($"api/dicomweb/studies?PatientID={ClinicalDicomWebFixture.PatientA}&StudyDate=20240101-20240131", Ct);
        Assert.Equal(fixture.StudyA, Value(Assert.Single(await ResultsAsync(inRange))!.AsObject(), "0020000D"));

        using var outOfRange = await client.GetAsync($"api/dicomweb/studies?PatientID={ClinicalDicomWebFixture.PatientA}&StudyDate=-20231231", Ct);
        Assert.Equal(HttpStatusCode.NoContent, outOfRange.StatusCode);

        using var first = await client.GetAsync($"api/dicomweb/studies/{fixture.StudyA}/instances?limit=2", Ct);
        using var rest = await client.GetAsync($"api/dicomweb/studies/{fixture.StudyA}/instances?limit=2&offset=2", Ct);
        Assert.Equal(2, (await ResultsAsync(first)).Count);
        Assert.Single(await ResultsAsync(rest));

        using var unknownPatient = await client.GetAsync("api/dicomweb/studies?PatientID=NOBODY", Ct);
        Assert.Equal(HttpStatusCode.NoContent, unknownPatient.StatusCode);
    }

    [Theory]
    [InlineData("api/dicomweb/studies", "query-needs-key")]
    [InlineData("api/dicomweb/studies?StudyDate=20240101-20241231", "query-needs-key")]
    [InlineData("api/dicomweb/studies?PatientID=CLIN*", "query-needs-key")]
    [InlineData("api/dicomweb/studies?PatientID=X&NoSuchKey=1", "invalid-query")]
    [InlineData("api/dicomweb/studies?PatientID=X&limit=abc", "invalid-query")]
    public async Task A_query_that_would_scan_or_that_names_an_unsupported_key_is_400_and_audited(string path, string code)
    {
        var oid = Guid.NewGuid().ToString("D");
        using var client = fixture.Client(oid, "TREAT", ArchiveRoles.ArchiveRead);
        using var response = await client.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(code, await response.Content.ReadAsStringAsync(Ct));
        var line = Assert.Single(await fixture.AuditOfAsync(oid)).Event;
        Assert.Contains(code, line.Details);
    }

    [Fact]
    public async Task A_shredded_study_is_never_listed()
    {
        using var client = fixture.Clinician();
        using var response = await client.GetAsync($"api/dicomweb/studies?PatientID={ClinicalDicomWebFixture.PatientA}", Ct);
        var studies = (await ResultsAsync(response)).Select(s => Value(s!.AsObject(), "0020000D")).ToList();
        Assert.Contains(fixture.StudyA, studies);
        Assert.DoesNotContain(fixture.StudyShredded, studies);
    }

    private static async Task<JsonArray> ResultsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!.AsArray();
    }

    private static string Value(JsonObject dataset, string tag) => dataset[tag]!["Value"]![0]!.GetValue<string>();
}
