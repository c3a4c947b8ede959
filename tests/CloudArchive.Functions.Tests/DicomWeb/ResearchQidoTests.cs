using System.Net;
using System.Text.Json;
using CloudArchive.Core.Audit;
using CloudArchive.Functions.DicomWeb.Research;
using CloudArchive.Functions.Tests.Research;
using Xunit;
using static CloudArchive.Functions.Tests.DicomWeb.ResearchDicomWebClient;

namespace CloudArchive.Functions.Tests.DicomWeb;

/// <summary>QIDO-RS on the research service root over real HTTP, Azurite and the real audit log.</summary>
[Collection(ResearchApiCollection.Name)]
public sealed class ResearchQidoTests(ResearchApiFixture fixture)
{
    private static readonly string R = Root(ResearchApiFixture.Agreement);

    private static string NewId() => Guid.NewGuid().ToString("D");

    [Fact]
    public async Task Studies_search_answers_every_study_with_default_attributes_aggregates_and_retrieve_url_and_is_audited_as_a_query()
    {
        var me = NewId();
        using var response = await GetAsync(fixture, R + "/studies", me, "*/*");
        var results = (await JsonAsync(response)).EnumerateArray().ToList();

        Assert.Equal(["2.25.1001", "2.25.1002", "2.25.1003"], results.Select(r => Values(r, "0020000D").Single()));
        var first = results[0];
        Assert.Equal(["CT", "MR"], Values(first, "00080061"));
        Assert.Equal(["2"], Values(first, "00201206"));
        Assert.Equal(["3"], Values(first, "00201208"));
        Assert.Equal(["4MR1"], Values(first, "00100020"));
        Assert.EndsWith(R + "/studies/2.25.1001", Values(first, "00081190").Single(), StringComparison.Ordinal);
        Assert.Equal("ISO_IR 192", Values(first, "00080005").Single());
        Assert.True(first.TryGetProperty("00080050", out _), "AccessionNumber is a default return key even when empty");

        var line = Assert.Single(await fixture.AuditOfAsync(me)).Event;
        Assert.Equal(AuditEventType.Query, line.EventType);
        Assert.Equal(AuditOutcome.Success, line.Outcome);
        Assert.Equal(["qido-study", "results=3"], line.Details);
        Assert.Equal(ResearchApiFixture.Agreement, line.AgreementId);
    }

    [Theory]
    [InlineData("/studies?StudyInstanceUID=2.25.1002", "0020000D", "2.25.1002")]
    [InlineData("/studies?StudyInstanceUID=2.25.1003,2.25.1001", "0020000D", "2.25.1001 2.25.1003")]
    [InlineData("/studies?ModalitiesInStudy=CT", "0020000D", "2.25.1001 2.25.1003")]
    [InlineData("/studies?PatientID=8NM1", "0020000D", "2.25.1002")]
    [InlineData("/studies?PatientID=4MR*", "0020000D", "2.25.1001 2.25.1003")]
    [InlineData("/studies?StudyDate=20040801-20040831", "0020000D", "2.25.1001 2.25.1002 2.25.1003")]
    [InlineData("/studies?StudyDate=-20040101", "0020000D", "")]
    [InlineData("/studies/2.25.1001/series", "0020000E", "2.25.2001 2.25.2002")]
    [InlineData("/series?Modality=CT", "0020000E", "2.25.2002")]
    [InlineData("/series?StudyInstanceUID=2.25.1002", "0020000E", "2.25.2003")]
    [InlineData("/studies/2.25.1001/series?SeriesInstanceUID=2.25.2002&Modality=CT", "0020000E", "2.25.2002")]
    [InlineData("/studies/2.25.1001/series/2.25.2001/instances", "00080018", "2.25.3001 2.25.3002")]
    [InlineData("/studies/2.25.1001/instances", "00080018", "2.25.3001 2.25.3002 2.25.3003")]
    [InlineData("/instances?SOPInstanceUID=2.25.4004", "00080018", "2.25.4004")]
    [InlineData("/instances?Modality=CT", "00080018", "2.25.3003 2.25.4004")]
    [InlineData("/instances?SOPClassUID=1.2.840.10008.5.1.4.1.1.2&InstanceNumber=1", "00080018", "2.25.3003 2.25.4004")]
    public async Task Each_level_matches_on_the_de_identified_values(string query, string key, string expected)
    {
        using var response = await GetAsync(fixture, R + query, NewId(), "application/dicom+json");
        var results = (await JsonAsync(response)).EnumerateArray().Select(r => Values(r, key).Single());
        Assert.Equal(expected.Length == 0 ? [] : expected.Split(' '), results);
    }

    [Theory]
    [InlineData("/studies?PatientBirthDate=19700101", "not a matching key at the study level")]
    [InlineData("/studies?NotAnAttribute=1", "neither a DICOM attribute")]
    [InlineData("/studies?StudyDate=yesterday", "takes a DA value or range")]
    [InlineData("/studies?limit=-1", "limit takes a whole number")]
    [InlineData("/studies?fuzzymatching=maybe", "fuzzymatching must be true or false")]
    [InlineData("/instances?includefield=Nope", "includefield")]
    [InlineData("/series?SOPInstanceUID=2.25.4004", "not a matching key at the series level")]
    public async Task Unsupported_or_malformed_keys_are_answered_400_with_the_reason_and_audited(string query, string reason)
    {
        var me = NewId();
        using var response = await GetAsync(fixture, R + query, me);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("bad-query", body.RootElement.GetProperty("error").GetString());
        Assert.Contains(reason, body.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        var line = Assert.Single(await fixture.AuditOfAsync(me)).Event;
        Assert.Equal(AuditEventType.Query, line.EventType);
        Assert.Equal(AuditOutcome.MinorFailure, line.Outcome);
    }

    [Fact]
    public async Task Limit_and_offset_page_the_results_and_a_truncated_page_says_so_in_a_Warning()
    {
        using var first = await GetAsync(fixture, R + "/studies?limit=2", NewId());
        Assert.Equal(["2.25.1001", "2.25.1002"], (await JsonAsync(first)).EnumerateArray().Select(r => Values(r, "0020000D").Single()));
        Assert.Contains(ResearchDicomWebHandler.MoreResultsWarning, first.Headers.GetValues("Warning"));

        using var rest = await GetAsync(fixture, R + "/studies?limit=2&offset=2", NewId());
        Assert.Equal(["2.25.1003"], (await JsonAsync(rest)).EnumerateArray().Select(r => Values(r, "0020000D").Single()));
        Assert.False(rest.Headers.Contains("Warning"));

        using var beyond = await GetAsync(fixture, R + "/studies?offset=10", NewId());
        Assert.Empty((await JsonAsync(beyond)).EnumerateArray());
    }

    [Fact]
    public async Task Fuzzy_matching_is_answered_literally_with_the_standard_Warning_and_false_is_accepted_silently()
    {
        using var fuzzy = await GetAsync(fixture, R + "/studies?PatientID=8NM1&fuzzymatching=true", NewId());
        Assert.Single((await JsonAsync(fuzzy)).EnumerateArray());
        Assert.Equal([ResearchDicomWebHandler.FuzzyWarning], fuzzy.Headers.GetValues("Warning"));

        using var literal = await GetAsync(fixture, R + "/studies?PatientID=8NM1&fuzzymatching=false", NewId());
        Assert.Single((await JsonAsync(literal)).EnumerateArray());
        Assert.False(literal.Headers.Contains("Warning"));
    }

    [Fact]
    public async Task Includefield_adds_attributes_and_all_returns_every_indexed_one()
    {
        using var some = await GetAsync(fixture, R + "/studies/2.25.1001/series/2.25.2001/instances?includefield=PhotometricInterpretation,00280101", NewId());
        var instance = (await JsonAsync(some)).EnumerateArray().First();
        Assert.Equal(["MONOCHROME2"], Values(instance, "00280004"));
        Assert.Equal(["16"], Values(instance, "00280101"));
        Assert.False(instance.TryGetProperty("00080008", out _));

        using var all = await GetAsync(fixture, R + "/studies/2.25.1001/series/2.25.2001/instances?includefield=all", NewId());
        Assert.True((await JsonAsync(all)).EnumerateArray().First().TryGetProperty("00080008", out _));
    }

    [Theory]
    [InlineData("application/dicom+xml")]
    [InlineData("multipart/related; type=\"application/dicom+xml\"")]
    [InlineData("text/html")]
    public async Task A_search_asked_for_in_a_media_type_it_cannot_have_is_406(string accept)
    {
        using var response = await GetAsync(fixture, R + "/studies", NewId(), accept);
        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
    }

    [Fact]
    public async Task Outsiders_are_refused_and_malformed_or_unknown_paths_are_400_and_404()
    {
        using var outsider = await GetAsync(fixture, R + "/studies", NewId(), null, ResearchApiFixture.OtherGroup);
        Assert.Equal(HttpStatusCode.Forbidden, outsider.StatusCode);
        using var other = await GetAsync(fixture, Root(ResearchApiFixture.OtherAgreement) + "/studies", NewId());
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        using var bad = await GetAsync(fixture, R + "/studies/2.25.x/series", NewId());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var unknown = await GetAsync(fixture, R + "/workitems", NewId());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var noStudy = await GetAsync(fixture, R + "/studies/2.25.999/series", NewId());
        Assert.Empty((await JsonAsync(noStudy)).EnumerateArray());
    }
}
