using System.Net;
using System.Text.Json;
using CloudArchive.Core.Ingest;
using CloudArchive.Functions.Ingest;
using CloudArchive.Functions.Middleware;
using Microsoft.Extensions.Logging;
using Xunit;

namespace CloudArchive.Functions.Tests;

/// <summary>
/// The ingest function as the host runs it: queue message texts in the shapes Event Grid and other writers store,
/// delivered through the local host's invoker (middleware, binding data, constructor injection) or handed to
/// <see cref="IngestInstance.IngestAsync"/> directly.
/// </summary>
public sealed class IngestInstanceTests
{
    private const string CorrelationId = "b7a4c8a2-1111-4b1c-9a9d-2f1e0c3d4b5a";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void AssertParsedEvent(IngestRequest request, int deliveryCount = 1)
    {
        Assert.Equal("incoming", request.Container);
        Assert.Equal("dir/ct 1.dcm", request.BlobName);
        Assert.Equal(Payloads.EventId, request.EventId);
        Assert.Equal("\"0x8D4BCC2E4835CD0\"", request.ETag);
        Assert.Equal(524288, request.ContentLength);
        Assert.Equal("PutBlockList", request.Api);
        Assert.Equal("00000000000004420000000000028963", request.Sequencer);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 10, 15, 30, TimeSpan.Zero).AddTicks(1234567), request.EventTime);
        Assert.Equal(deliveryCount, request.DeliveryCount);
    }

    [Fact]
    public async Task Host_status_endpoint_answers_200_running()
    {
        await using var server = await HandlerServer.StartAsync(new FakeIngestHandler());

        using var response = await server.Client.GetAsync("/admin/host/status", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("Running", body.RootElement.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Base64_queue_text_is_decoded_and_the_dequeue_count_becomes_the_delivery_count()
    {
        var handler = new FakeIngestHandler();
        await using var server = await HandlerServer.StartAsync(handler);

        await server.DeliverIngestAsync(Payloads.Base64(Payloads.EventGridEvent()), dequeueCount: 2);

        AssertParsedEvent(Assert.Single(handler.Requests), deliveryCount: 2);
    }

    [Fact]
    public async Task Raw_json_queue_text_is_parsed()
    {
        var handler = new FakeIngestHandler();
        await using var server = await HandlerServer.StartAsync(handler);

        await server.DeliverIngestAsync(Payloads.EventGridEvent());

        AssertParsedEvent(Assert.Single(handler.Requests));
    }

    [Fact]
    public async Task IngestAsync_returns_each_event_s_result_and_passes_the_correlation_id_on()
    {
        var handler = new FakeIngestHandler();
        await using var server = await HandlerServer.StartAsync(handler);

        var results = await server.CreateIngestInstance().IngestAsync(Payloads.Base64(Payloads.EventGridEvent()), 3, CorrelationId, Ct);

        Assert.Equal(new IngestResult(IngestOutcome.Archived, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"), Assert.Single(results));
        var request = Assert.Single(handler.Requests);
        AssertParsedEvent(request, deliveryCount: 3);
        Assert.Equal(CorrelationId, request.CorrelationId);
        var line = Assert.Single(server.Logs.AppEntries, e => e.Category == typeof(IngestInstance).FullName);
        Assert.Contains("Archived instance ABCDEFGHIJKLMNOPQRSTUVWXYZ", line.Message, StringComparison.Ordinal);
        Assert.Contains(Payloads.EventId, line.Message, StringComparison.Ordinal);
        Assert.Contains(CorrelationId, line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delivery_s_correlation_id_is_its_invocation_id_in_the_request_and_in_every_log_line()
    {
        var handler = new FakeIngestHandler();
        await using var server = await HandlerServer.StartAsync(handler);

        await server.DeliverIngestAsync(Payloads.Base64(Payloads.EventGridEvent()));
        await server.DeliverIngestAsync(Payloads.Base64(Payloads.EventGridEvent()));

        var ids = handler.Requests.Select(r => r.CorrelationId).ToList();
        Assert.All(ids, id => Assert.True(Guid.TryParse(id, out _), id));
        Assert.NotEqual(ids[0], ids[1]);
        var lines = server.Logs.AppEntries.Where(e => e.Category == typeof(IngestInstance).FullName).ToList();
        Assert.Equal(2, lines.Count);
        for (var i = 0; i < 2; i++)
        {
            Assert.Contains(ids[i], lines[i].Message, StringComparison.Ordinal);
            Assert.Contains(new KeyValuePair<string, object?>("CorrelationId", ids[i]), lines[i].Scope);
            Assert.Contains(new KeyValuePair<string, object?>("Function", IngestInstance.Name), lines[i].Scope);
        }
    }

    [Fact]
    public async Task CloudEvents_with_an_Azurite_url_are_parsed()
    {
        var handler = new FakeIngestHandler();
        await using var server = await HandlerServer.StartAsync(handler);

        await server.DeliverIngestAsync(Payloads.Base64(Payloads.CloudEvent("x/y.dcm")));

        var request = Assert.Single(handler.Requests);
        Assert.Equal(("incoming", "x/y.dcm", "ce-1", 10L), (request.Container, request.BlobName, request.EventId, request.ContentLength));
    }

    [Fact]
    public async Task Every_event_of_an_array_message_is_handed_over_and_its_result_returned_in_order()
    {
        var handler = new FakeIngestHandler();
        await using var server = await HandlerServer.StartAsync(handler);
        var array = "[" + Payloads.EventGridEvent(blob: "a.dcm") + "," + Payloads.EventGridEvent(blob: "b.dcm") + "]";

        var results = await server.CreateIngestInstance().IngestAsync(array, 1, CorrelationId, Ct);

        Assert.Equal(["a.dcm", "b.dcm"], handler.Requests.Select(r => r.BlobName));
        Assert.Equal(2, results.Count);
    }

    [Fact]
    public async Task A_failing_handler_fails_the_invocation_with_its_exception_so_the_host_redelivers()
    {
        var failure = new IOException("storage unavailable (503 ServerBusy)");
        var handler = new FakeIngestHandler { FailWith = failure };
        await using var server = await HandlerServer.StartAsync(handler);

        var thrown = await Assert.ThrowsAsync<IOException>(() => server.DeliverIngestAsync(Payloads.Base64(Payloads.EventGridEvent())));

        Assert.Same(failure, thrown);
        var error = Assert.Single(server.Logs.AppEntries, e => e.Level == LogLevel.Error);
        Assert.Contains("IOException: storage unavailable (503 ServerBusy)", error.Message, StringComparison.Ordinal);
        Assert.Contains(Assert.Single(handler.Requests).CorrelationId, error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Rejected => new()
    {
        { Payloads.Base64(Payloads.EventGridEvent(container: "archive")), "container 'archive'" },
        { Payloads.Base64(Payloads.EventGridEvent(eventType: "Microsoft.Storage.BlobDeleted")), "'Microsoft.Storage.BlobDeleted' event" },
        { Payloads.Base64(Payloads.EventGridEvent(urlOverride: "https://acct.blob.core.windows.net/incoming/other.dcm")), "different blobs" },
        { "not base64 and not json", "neither JSON nor base64" },
        { Payloads.Base64("hello"), "does not decode to JSON" },
        { Convert.ToBase64String([0x7b, 0xff, 0xfe]), "UTF-8" },
        { "{\"eventType\": ", "not valid JSON" },
        { "[]", "holds 0 events" },
        { "{\"id\":\"1\"}", "no eventType" },
        { "   ", "empty" },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public async Task Unprocessable_messages_fail_the_invocation_as_invalid_with_a_reason(string message, string reason)
    {
        var handler = new FakeIngestHandler();
        await using var server = await HandlerServer.StartAsync(handler);

        var ex = await Assert.ThrowsAsync<InvalidMessageException>(() => server.DeliverIngestAsync(message));

        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
        var warning = Assert.Single(server.Logs.AppEntries, e => e.Level >= LogLevel.Warning);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(reason, warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Blob_names_never_appear_in_logs()
    {
        const string phiName = "SMITH^JOHN_1970-01-01/ct.dcm";
        var handler = new FakeIngestHandler();
        await using var server = await HandlerServer.StartAsync(handler);

        await server.DeliverIngestAsync(Payloads.Base64(Payloads.EventGridEvent(blob: phiName)));
        handler.FailWith = new InvalidOperationException("quarantine write failed");
        await Assert.ThrowsAsync<InvalidOperationException>(() => server.DeliverIngestAsync(Payloads.Base64(Payloads.EventGridEvent(blob: phiName))));
        await Assert.ThrowsAsync<InvalidMessageException>(() => server.DeliverIngestAsync(Payloads.Base64(Payloads.EventGridEvent(blob: phiName, urlOverride: "https://acct.blob.core.windows.net/incoming/SMITH^JANE.dcm"))));
        await Assert.ThrowsAsync<InvalidMessageException>(() => server.DeliverIngestAsync(Payloads.Base64(Payloads.EventGridEvent(container: "archive", blob: phiName))));

        Assert.Equal(phiName, handler.Requests.First().BlobName);
        // The success, the failure and both rejections were each logged (and checked below).
        Assert.True(server.Logs.AppEntries.Count(e => e.Level >= LogLevel.Information && e.Category.StartsWith("CloudArchive.Functions.", StringComparison.Ordinal)) >= 4);
        foreach (var entry in server.Logs.Entries)
        {
            Assert.DoesNotContain("SMITH", entry.Text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task The_incoming_container_is_configurable()
    {
        var handler = new FakeIngestHandler();
        await using var server = await HandlerServer.StartAsync(handler, ["--urls", "http://127.0.0.1:0", "--CloudArchive:Containers:Incoming=uploads"]);

        await server.DeliverIngestAsync(Payloads.Base64(Payloads.EventGridEvent(container: "uploads")));
        var rejected = await Assert.ThrowsAsync<InvalidMessageException>(() => server.DeliverIngestAsync(Payloads.Base64(Payloads.EventGridEvent(container: "incoming"))));

        Assert.Equal("uploads", Assert.Single(handler.Requests).Container);
        Assert.Contains("from 'uploads' only", rejected.Message, StringComparison.Ordinal);
    }
}
