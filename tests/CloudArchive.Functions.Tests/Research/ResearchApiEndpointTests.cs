using System.IO.Compression;
using System.Net;
using System.Text.Json;
using CloudArchive.Azure.Audit;
using CloudArchive.Core.Audit;
using CloudArchive.Research.Publication;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CloudArchive.Functions.Tests.Research;

/// <summary>The researcher API over real HTTP, real Azurite storage and the real audit log.</summary>
[Collection(ResearchApiCollection.Name)]
public sealed class ResearchApiEndpointTests(ResearchApiFixture fixture)
{
    private const string A = ResearchApiFixture.Agreement;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Recipient_lists_only_the_agreements_in_force_that_name_them_and_the_listing_is_audited()
    {
        var me = NewId();

        using var response = await fixture.Client.SendAsync(ResearchApiFixture.AsRecipient("/api/research/agreements", me), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var agreement = Assert.Single(json.RootElement.GetProperty("agreements").EnumerateArray());
        Assert.Equal(A, agreement.GetProperty("id").GetString());
        Assert.Equal("HRESCH", agreement.GetProperty("purposeOfUse").GetString());
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), agreement.GetProperty("validUntil").GetDateTimeOffset());
        var line = Assert.Single(await fixture.AuditOfAsync(me)).Event;
        Assert.Equal(AuditEventType.InstancesAccessed, line.EventType);
        Assert.Equal(AuditAction.Read, line.Action);
        Assert.Equal(["list-agreements", "count=1"], line.Details);
    }

    [Fact]
    public async Task Recipient_lists_studies_series_and_instances_with_counts_and_sizes_of_the_published_blobs()
    {
        var me = NewId();

        using var studies = await GetJsonAsync($"/api/research/agreements/{A}/studies", me);
        var listed = studies.RootElement.GetProperty("studies").EnumerateArray().ToList();
        Assert.Equal(ResearchApiFixture.Layout.Keys.Order(StringComparer.Ordinal), listed.Select(s => s.GetProperty("studyInstanceUid").GetString()!));
        foreach (var study in listed)
        {
            var uid = study.GetProperty("studyInstanceUid").GetString()!;
            var layout = ResearchApiFixture.Layout[uid];
            Assert.Equal(layout.Count, study.GetProperty("seriesCount").GetInt32());
            Assert.Equal(layout.Values.Sum(s => s.Count), study.GetProperty("instanceCount").GetInt32());
            Assert.Equal(layout.Values.SelectMany(s => s).Sum(i => new FileInfo(ResearchApiFixture.SamplePath(i.File)).Length), study.GetProperty("bytes").GetInt64());
        }

        using var series = await GetJsonAsync($"/api/research/agreements/{A}/studies/2.25.1001/series", me);
        Assert.Equal(["2.25.2001", "2.25.2002"], series.RootElement.GetProperty("series").EnumerateArray().Select(s => s.GetProperty("seriesInstanceUid").GetString()!));
        Assert.Equal([2, 1], series.RootElement.GetProperty("series").EnumerateArray().Select(s => s.GetProperty("instanceCount").GetInt32()));

        using var instances = await GetJsonAsync($"/api/research/agreements/{A}/studies/2.25.1001/series/2.25.2001/instances", me);
        var items = instances.RootElement.GetProperty("instances").EnumerateArray().ToList();
        Assert.Equal(["2.25.3001", "2.25.3002"], items.Select(i => i.GetProperty("sopInstanceUid").GetString()!));
        Assert.Equal(new FileInfo(ResearchApiFixture.SamplePath("MR_small.dcm")).Length, items[0].GetProperty("bytes").GetInt64());

        using var studyInstances = await GetJsonAsync($"/api/research/agreements/{A}/studies/2.25.1001/instances", me);
        Assert.Equal(
            [("2.25.2001", "2.25.3001"), ("2.25.2001", "2.25.3002"), ("2.25.2002", "2.25.3003")],
            studyInstances.RootElement.GetProperty("instances").EnumerateArray().Select(i => (i.GetProperty("seriesInstanceUid").GetString(), i.GetProperty("sopInstanceUid").GetString())));
        Assert.Equal(new FileInfo(ResearchApiFixture.SamplePath("CT_small.dcm")).Length, studyInstances.RootElement.GetProperty("instances")[2].GetProperty("bytes").GetInt64());

        var audit = await fixture.AuditOfAsync(me);
        Assert.Equal(["list-studies", "list-series", "list-instances", "list-study-instances"], audit.Select(r => r.Event.Details.Single()));
        Assert.All(audit, r =>
        {
            Assert.Equal(AuditEventType.InstancesAccessed, r.Event.EventType);
            Assert.Equal(A, r.Event.AgreementId);
            Assert.Equal("HRESCH", r.Event.PurposeOfUse);
            Assert.Equal(AuditOutcome.Success, r.Event.Outcome);
        });
    }

    [Fact]
    public async Task Fetched_instance_is_the_blob_byte_for_byte_parses_with_dcmdump_and_is_audited_with_bytes_and_the_socket_address()
    {
        var me = NewId();
        var name = ResearchNames.Instance(A, "2.25.1001", "2.25.2002", "2.25.3003");
        using var request = ResearchApiFixture.AsRecipient($"/api/research/agreements/{A}/studies/2.25.1001/series/2.25.2002/instances/2.25.3003", me);
        request.Headers.Add("X-Forwarded-For", "203.0.113.7:50123, 10.0.0.1");

        using var response = await fixture.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/dicom", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        Assert.Equal(await fixture.BlobBytesAsync(name), bytes);
        Assert.Equal(await File.ReadAllBytesAsync(ResearchApiFixture.SamplePath("CT_small.dcm"), Ct), bytes);
        await AssertDcmdumpParsesAsync(bytes);

        var line = Assert.Single(await fixture.AuditOfAsync(me)).Event;
        Assert.Equal(AuditEventType.InstancesAccessed, line.EventType);
        Assert.Equal(AuditAction.Read, line.Action);
        Assert.Equal(AuditOutcome.Success, line.Outcome);
        Assert.Equal(A, line.AgreementId);
        Assert.Equal("HRESCH", line.PurposeOfUse);
        Assert.Equal(bytes.Length, line.Bytes);
        Assert.Equal(["fetch-instance"], line.Details);
        Assert.Equal(IPAddress.Loopback, line.Actor.ClientIp); // X-Forwarded-For is not read unless configured

        Assert.Equal("researcher", line.Actor.Role);
    }

    [Theory]
    [InlineData("/archive.zip", null)]
    [InlineData("", "application/zip")]
    public async Task Study_zip_streams_every_instance_byte_identical_under_series_and_instance_names(string suffix, string? accept)
    {
        var me = NewId();
        using var request = ResearchApiFixture.AsRecipient($"/api/research/agreements/{A}/studies/2.25.1001{suffix}", me);
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        using var response = await fixture.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType!.MediaType);
        Assert.Null(response.Content.Headers.ContentLength); // streamed as it is produced (chunked), not buffered first
        var zipBytes = await response.Content.ReadAsByteArrayAsync(Ct);
        using var zip = new ZipArchive(new MemoryStream(zipBytes), ZipArchiveMode.Read);
        var expected = ResearchApiFixture.Layout["2.25.1001"].SelectMany(s => s.Value.Select(i => (Name: $"{s.Key}/{i.Instance}.dcm", i.File))).ToList();
        Assert.Equal(expected.Select(e => e.Name).Order(StringComparer.Ordinal), zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        long total = 0;
        foreach (var (entryName, file) in expected)
        {
            await using var entryStream = await zip.GetEntry(entryName)!.OpenAsync(Ct);
            using var copy = new MemoryStream();
            await entryStream.CopyToAsync(copy, Ct);
            Assert.Equal(await File.ReadAllBytesAsync(ResearchApiFixture.SamplePath(file), Ct), copy.ToArray());
            total += copy.Length;
        }

        var line = Assert.Single(await fixture.AuditOfAsync(me)).Event;
        Assert.Equal(AuditEventType.InstancesAccessed, line.EventType);
        Assert.Equal(["fetch-study-zip", "instances=3"], line.Details);
        Assert.Equal(total, line.Bytes);
        Assert.Equal(A, line.AgreementId);
    }

    [Fact]
    public async Task Study_retrieval_without_zip_in_Accept_is_406_and_sends_no_data()
    {
        var me = NewId();
        using var request = ResearchApiFixture.AsRecipient($"/api/research/agreements/{A}/studies/2.25.1001", me);
        request.Headers.Accept.ParseAdd("multipart/related; type=\"application/dicom\"");

        using var response = await fixture.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        Assert.Equal("not-acceptable", await ErrorCodeAsync(response));
    }

    [Fact]
    public async Task Outsider_and_unknown_agreement_get_the_same_403_and_each_leaves_a_security_alert()
    {
        var outsider = NewId();

        using var notMine = await fixture.Client.SendAsync(ResearchApiFixture.Get($"/api/research/agreements/{A}/studies", outsider, ResearchApiFixture.OtherGroup), Ct);
        using var unknown = await fixture.Client.SendAsync(ResearchApiFixture.Get("/api/research/agreements/no-such-agreement/studies", outsider, ResearchApiFixture.OtherGroup), Ct);
        using var instance = await fixture.Client.SendAsync(ResearchApiFixture.Get($"/api/research/agreements/{A}/studies/2.25.1001/series/2.25.2001/instances/2.25.3001", outsider), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, notMine.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, instance.StatusCode);
        var bodies = new[] { await notMine.Content.ReadAsStringAsync(Ct), await unknown.Content.ReadAsStringAsync(Ct), await instance.Content.ReadAsStringAsync(Ct) };
        Assert.Single(bodies.Distinct(StringComparer.Ordinal)); // ids cannot be probed
        Assert.Contains("\"error\":\"forbidden\"", bodies[0], StringComparison.Ordinal);
        Assert.DoesNotContain("no-such-agreement", bodies[1], StringComparison.Ordinal);

        // The second not-recipient refusal is counted into the window's aggregate line, not written on its own.
        var audit = await fixture.AuditOfAsync(outsider);
        Assert.Equal(2, audit.Count);
        Assert.All(audit, r =>
        {
            Assert.Equal(AuditEventType.SecurityAlert, r.Event.EventType);
            Assert.Equal(AuditOutcome.MinorFailure, r.Event.Outcome);
            Assert.Equal(outsider, r.Event.Actor.Id);
            Assert.Null(r.Event.Bytes);
        });
        Assert.Equal([A, "no-such-agreement"], audit.Select(r => r.Event.AgreementId));
        Assert.Equal(["not-recipient", "unknown-agreement"], audit.Select(r => r.Event.Details.Single()));
    }

    [Theory]
    [InlineData(ResearchApiFixture.ExpiredAgreement, "agreement-expired")]
    [InlineData(ResearchApiFixture.ClosedAgreement, "agreement-closed")]
    [InlineData(ResearchApiFixture.FutureAgreement, "agreement-not-yet-valid")]
    public async Task Recipient_of_an_agreement_not_in_force_gets_403_with_the_reason_and_a_security_alert(string agreement, string reason)
    {
        var me = NewId();

        using var list = await fixture.Client.SendAsync(ResearchApiFixture.AsRecipient($"/api/research/agreements/{agreement}/studies", me), Ct);
        using var fetch = await fixture.Client.SendAsync(ResearchApiFixture.AsRecipient($"/api/research/agreements/{agreement}/studies/2.25.9001/series/2.25.9002/instances/2.25.9003", me), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, fetch.StatusCode);
        Assert.Equal(reason, await ErrorCodeAsync(list));
        Assert.Equal(reason, await ErrorCodeAsync(fetch));
        // Two refusals for one reason within the window: one line now, the repeat counted for the aggregate line.
        var line = Assert.Single(await fixture.AuditOfAsync(me)).Event;
        Assert.Equal(AuditEventType.SecurityAlert, line.EventType);
        Assert.Equal(agreement, line.AgreementId);
        Assert.Equal([reason], line.Details);
        Assert.Equal("HRESCH", line.PurposeOfUse);
    }

    [Fact]
    public async Task Agreement_expiring_while_in_use_is_refused_from_that_moment()
    {
        var me = NewId();
        var path = $"/api/research/agreements/{A}/studies";
        var original = fixture.Clock.Now;
        using (var before = await fixture.Client.SendAsync(ResearchApiFixture.AsRecipient(path, me), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        try
        {
            fixture.Clock.Now = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero); // validUntil is exclusive
            using var after = await fixture.Client.SendAsync(ResearchApiFixture.AsRecipient(path, me), Ct);
            Assert.Equal(HttpStatusCode.Forbidden, after.StatusCode);
            Assert.Equal("agreement-expired", await ErrorCodeAsync(after));
        }
        finally
        {
            fixture.Clock.Now = original;
        }
    }

    [Theory]
    [InlineData("/api/research/agreements/Alpha-Study/studies", 400)]
    [InlineData("/api/research/agreements/a/studies", 400)]
    [InlineData("/api/research/agreements/alpha-study/studies/2.25.1001x/series", 400)]
    [InlineData("/api/research/agreements/alpha-study/studies/01.2/series", 400)]
    [InlineData("/api/research/agreements/alpha-study/studies/..%2F..%2Fother-team/series", 400)]
    [InlineData("/api/research/agreements/alpha-study/studies/2.25.1001/series/2.25.2001/instances/2.25.3001.dcm", 400)]
    [InlineData("/api/research/agreements/alpha-study%0A/studies", 400)] // Kestrel decodes %0A; a `$` anchor let it through to a 500
    [InlineData("/api/research/agreements/alpha-study%0D%0A/studies", 400)]
    [InlineData("/api/research/agreements/%0Aalpha-study/studies", 400)]
    [InlineData("/api/research/agreements/alpha-study/studies/2.25.1001%0A/series", 400)]
    [InlineData("/api/research/agreements/alpha-study/studies/2.25.1001/series/2.25.2001/instances/2.25.3001%0A", 400)]
    [InlineData("/api/research/agreements/alpha-study/studies/2.25.1001/series/%2e%2e/frames", 404)] // Kestrel resolves the dot segment first
    [InlineData("/api/research/agreements/alpha-study/manifest.json", 404)]
    [InlineData("/api/research/agreements/alpha-study/studies/2.25.1001/series/2.25.2001/instances/2.25.3001/frames/1", 404)]
    [InlineData("/api/research/agreements/alpha-study//studies", 404)]
    [InlineData("/api/research/studies", 404)]
    [InlineData("/api/research", 404)]
    public async Task Malformed_identifiers_are_400_and_unknown_paths_404_without_echoing_the_input(string path, int status)
    {
        var me = NewId();

        using var response = await fixture.Client.SendAsync(ResearchApiFixture.AsRecipient(path, me), Ct);

        Assert.Equal(status, (int)response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("Alpha", body, StringComparison.Ordinal);
        Assert.DoesNotContain("2.25", body, StringComparison.Ordinal);
        Assert.DoesNotContain("other-team", body, StringComparison.Ordinal);
        Assert.Equal(status == 400 ? "invalid-identifier" : "not-found", JsonDocument.Parse(body).RootElement.GetProperty("error").GetString());
        var line = Assert.Single(await fixture.AuditOfAsync(me)).Event;
        Assert.Equal(AuditEventType.SecurityAlert, line.EventType);
        Assert.Null(line.AgreementId);
    }

    [Fact]
    public async Task Dot_segments_are_resolved_before_authorization_so_they_cannot_reach_another_agreement()
    {
        var me = NewId();

        using var response = await fixture.Client.SendAsync(ResearchApiFixture.AsRecipient($"/api/research/agreements/{A}/studies/%2e%2e/%2e%2e/{ResearchApiFixture.OtherAgreement}/studies", me), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var line = Assert.Single(await fixture.AuditOfAsync(me)).Event;
        Assert.Equal(ResearchApiFixture.OtherAgreement, line.AgreementId);
        Assert.Equal(["not-recipient"], line.Details);
    }

    [Fact]
    public async Task Unpublished_instance_or_series_is_404_and_the_attempt_is_audited_as_a_read_that_found_nothing()
    {
        var me = NewId();

        using var instance = await fixture.Client.SendAsync(ResearchApiFixture.AsRecipient($"/api/research/agreements/{A}/studies/2.25.1001/series/2.25.2001/instances/2.25.9999", me), Ct);
        using var series = await fixture.Client.SendAsync(ResearchApiFixture.AsRecipient($"/api/research/agreements/{A}/studies/2.25.7777/series", me), Ct);
        using var zip = await fixture.Client.SendAsync(ResearchApiFixture.AsRecipient($"/api/research/agreements/{A}/studies/2.25.7777/archive.zip", me), Ct);

        Assert.Equal(HttpStatusCode.NotFound, instance.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, series.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, zip.StatusCode);
        var audit = await fixture.AuditOfAsync(me);
        Assert.Equal([["fetch-instance", "not-found"], ["list-series", "not-found"], ["fetch-study-zip", "not-found"]], audit.Select(r => r.Event.Details.ToArray()));
        Assert.All(audit, r => Assert.Equal(AuditOutcome.MinorFailure, r.Event.Outcome));
    }

    [Fact]
    public async Task Past_the_burst_a_principal_gets_429_with_Retry_After_and_one_audit_line_per_window_while_others_are_unaffected()
    {
        var app = await fixture.StartAppAsync(requestsPerMinute: 1, burst: 3);
        await using var _ = app;
        using var client = ResearchApiFixture.CreateClient(app);
        var me = NewId();
        var other = NewId();
        var path = $"/api/research/agreements/{A}/studies";

        var statuses = new List<HttpStatusCode>();
        TimeSpan? retryAfter = null;
        for (var i = 0; i < 6; i++)
        {
            using var response = await client.SendAsync(ResearchApiFixture.AsRecipient(path, me), Ct);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                retryAfter = response.Headers.RetryAfter?.Delta;
                Assert.Equal("rate-limited", await ErrorCodeAsync(response));
            }
        }

        using var otherResponse = await client.SendAsync(ResearchApiFixture.AsRecipient(path, other), Ct);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, otherResponse.StatusCode);
        var audit = await fixture.AuditOfAsync(me);
        Assert.Equal(3, audit.Count(r => r.Event.EventType == AuditEventType.InstancesAccessed));
        var alert = Assert.Single(audit, r => r.Event.EventType == AuditEventType.SecurityAlert).Event;
        Assert.Equal(["rate-limited"], alert.Details);
    }

    [Fact]
    public async Task When_the_audit_log_cannot_be_written_nothing_is_released()
    {
        var app = await fixture.StartAppAsync(6000, 1000, services =>
            services.AddSingleton(new AuditLogWriter(new BlobAuditLogStore(fixture.Connection.Blobs.GetBlobContainerClient("no-such-audit-container-" + Guid.NewGuid().ToString("N")[..8])), "broken-audit", fixture.Clock)));
        await using var _ = app;
        using var client = ResearchApiFixture.CreateClient(app);

        using var response = await client.SendAsync(ResearchApiFixture.AsRecipient($"/api/research/agreements/{A}/studies/2.25.1001/series/2.25.2001/instances/2.25.3001", NewId()), Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("audit-unavailable", await ErrorCodeAsync(response));
    }

    [Fact]
    public async Task Audit_lines_carry_a_fresh_invocation_id_and_never_a_correlation_header_the_client_sent()
    {
        var me = NewId();
        const string clientInvocationId = "5f3f8c1e-7a41-4d4b-8c1e-0d4a4e4b9a51";
        for (var i = 0; i < 2; i++)
        {
            using var request = ResearchApiFixture.AsRecipient($"/api/research/agreements/{A}/studies", me);
            request.Headers.Add("X-Azure-Functions-InvocationId", clientInvocationId);
            request.Headers.Add("x-correlation-id", "client-chosen-id");
            request.Headers.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
            using var response = await fixture.Client.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(response.Headers.Contains("x-correlation-id")); // only an error answer names it
        }

        var ids = (await fixture.AuditOfAsync(me)).Select(r => r.Event.CorrelationId).ToList();

        Assert.Equal(2, ids.Count);
        Assert.All(ids, id =>
        {
            Assert.True(Guid.TryParseExact(id, "D", out _), id);
            Assert.NotEqual(clientInvocationId, id);
        });
        Assert.NotEqual(ids[0], ids[1]);
    }

    private static string NewId() => Guid.NewGuid().ToString("D");

    private async Task<JsonDocument> GetJsonAsync(string path, string objectId)
    {
        using var response = await fixture.Client.SendAsync(ResearchApiFixture.AsRecipient(path, objectId), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
    }

    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return json.RootElement.GetProperty("error").GetString();
    }

    internal static async Task AssertDcmdumpParsesAsync(byte[] bytes)
    {
        var path = Path.Combine(Path.GetTempPath(), "ca-api-" + Guid.NewGuid().ToString("N") + ".dcm");
        await File.WriteAllBytesAsync(path, bytes, Ct);
        try
        {
            await AssertDcmdumpParsesAsync(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    internal static async Task AssertDcmdumpParsesAsync(string path) =>
        await Testing.DicomFileCheck.AssertParsesAsync(path, Ct);
}
