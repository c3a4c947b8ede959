using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudArchive.Core.Ingest;
using Xunit;

namespace CloudArchive.Functions.Tests;

/// <summary>Real HTTP against the handler with the payload shapes the Functions host sends.</summary>
public sealed class IngestInstanceEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HandlerServer server, string body, string? invocationId = "b7a4c8a2-1111-4b1c-9a9d-2f1e0c3d4b5a")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/IngestInstance")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (invocationId is not null)
        {
            request.Headers.Add("X-Azure-Functions-InvocationId", invocationId);
        }

        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Azure-Functions-Host", "4.1040.0"));
        using var response = await server.Client.SendAsync(request, Ct);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var json = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, JsonDocument.Parse(json).RootElement.Clone());
    }

    private static void AssertResponseShape(JsonElement body)
    {
        Assert.Equal(["Outputs", "Logs", "ReturnValue"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Object, body.GetProperty("Outputs").ValueKind);
        Assert.Equal(JsonValueKind.Array, body.GetProperty("Logs").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("ReturnValue").ValueKind);
    }

    private static string[] Logs(JsonElement body) => body.GetProperty("Logs").EnumerateArray().Select(l => l.GetString()!).ToArray();

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
        Assert.Equal("b7a4c8a2-1111-4b1c-9a9d-2f1e0c3d4b5a", request.CorrelationId);
    }

    [Fact]
    public async Task Readiness_endpoint_answers_200()
    {
        await using var server = await HandlerServer.StartAsync(new FakeIngestHandler());

        using var response = await server.Client.GetAsync("/", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Double_encoded_raw_json_queue_text_is_parsed()
    {
        var handler = new FakeIngestHandler();
        await using var server = await HandlerServer.StartAsync(handler);

        var (status, body) = await PostAsync(server, Payloads.Invocation(Payloads.DoubleEncoded(Payloads.EventGridEvent()), dequeueCount: 2));

        Assert.Equal(HttpStatusCode.OK, status);
        AssertResponseShape(body);
        AssertParsedEvent(Assert.Single(handler.Requests), deliveryCount: 2);
        var log = Assert.Single(Logs(body));
        Assert.Contains("Archived instance ABCDEFGHIJKLMNOPQRSTUVWXYZ", log, StringComparison.Ordinal);
        Assert.Contains(Payloads.EventId, log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Double_encoded_base64_queue_text_is_parsed()
    {
        var handler = new FakeIngestHandler();
        await using var server = await HandlerServer.StartAsync(handler);

        var (status, body) = await PostAsync(server, Payloads.Invocation(Payloads.DoubleEncoded(Payloads.Base64(Payloads.EventGridEvent()))));

        Assert.Equal(HttpStatusCode.OK, status);
        AssertResponseShape(body);
        AssertParsedEvent(Assert.Single(handler.Requests));
    }

    [Fact]
    public async Task Single_encoded_raw_json_queue_text_is_parsed()
    {
        var handler = new FakeIngestHandler();
        await using var server = await HandlerServer.StartAsync(handler);

        var (status, _) = await PostAsync(server, Payloads.Invocation(JsonValue.Create(Payloads.EventGridEvent())));

        Assert.Equal(HttpStatusCode.OK, status);
        AssertParsedEvent(Assert.Single(handler.Requests));
    }

    [Fact]
    public async Task Queue_text_delivered_as_a_json_object_is_parsed()
    {
        var handler = new FakeIngestHandler();
        await using var server = await HandlerServer.StartAsync(handler);

        var (status, _) = await PostAsync(server, Payloads.Invocation(JsonNode.Parse(Payloads.EventGridEvent())));

        Assert.Equal(HttpStatusCode.OK, status);
        AssertParsedEvent(Assert.Single(handler.Requests));
    }

    [Fact]
    public async Task CloudEvents_with_an_Azurite_url_are_parsed()
    {
        var handler = new FakeIngestHandler();
        await using var server = await HandlerServer.StartAsync(handler);

        var (status, _) = await PostAsync(server, Payloads.Invocation(Payloads.DoubleEncoded(Payloads.Base64(Payloads.CloudEvent("x/y.dcm")))));

        Assert.Equal(HttpStatusCode.OK, status);
        var request = Assert.Single(handler.Requests);
        Assert.Equal(("incoming", "x/y.dcm", "ce-1", 10L), (request.Container, request.BlobName, request.EventId, request.ContentLength));
    }

    [Fact]
    public async Task Every_event_of_an_array_message_is_handed_over()
    {
        var handler = new FakeIngestHandler();
        await using var server = await HandlerServer.StartAsync(handler);
        var array = "[" + Payloads.EventGridEvent(blob: "a.dcm") + "," + Payloads.EventGridEvent(blob: "b.dcm") + "]";

        var (status, body) = await PostAsync(server, Payloads.Invocation(Payloads.DoubleEncoded(array)));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["a.dcm", "b.dcm"], handler.Requests.Select(r => r.BlobName));
        Assert.Equal(2, Logs(body).Length);
    }

    [Fact]
    public async Task A_failing_handler_yields_500_with_logs_so_the_host_retries()
    {
        var handler = new FakeIngestHandler { FailWith = new IOException("storage unavailable (503 ServerBusy)") };
        await using var server = await HandlerServer.StartAsync(handler);

        var (status, body) = await PostAsync(server, Payloads.Invocation(Payloads.DoubleEncoded(Payloads.EventGridEvent())));

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        AssertResponseShape(body);
        var log = Assert.Single(Logs(body));
        Assert.Contains("IOException: storage unavailable (503 ServerBusy)", log, StringComparison.Ordinal);
        Assert.Contains("will be retried", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_ingest_service_the_answer_is_503()
    {
        await using var server = await HandlerServer.StartAsync(handler: null);

        var (status, body) = await PostAsync(server, Payloads.Invocation(Payloads.DoubleEncoded(Payloads.EventGridEvent())));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        AssertResponseShape(body);
    }

    public static TheoryData<string, string> Rejected => new()
    {
        { Payloads.Invocation(Payloads.DoubleEncoded(Payloads.EventGridEvent(container: "archive"))), "container 'archive'" },
        { Payloads.Invocation(Payloads.DoubleEncoded(Payloads.EventGridEvent(eventType: "Microsoft.Storage.BlobDeleted"))), "'Microsoft.Storage.BlobDeleted' event" },
        { Payloads.Invocation(Payloads.DoubleEncoded(Payloads.EventGridEvent(urlOverride: "https://acct.blob.core.windows.net/incoming/other.dcm"))), "different blobs" },
        { Payloads.Invocation(Payloads.DoubleEncoded("not base64 and not json")), "neither JSON nor base64" },
        { Payloads.Invocation(Payloads.DoubleEncoded(Payloads.Base64("hello"))), "does not decode to JSON" },
        { Payloads.Invocation(Payloads.DoubleEncoded("{\"eventType\": ")), "not valid JSON" },
        { Payloads.Invocation(Payloads.DoubleEncoded("[]")), "holds 0 events" },
        { Payloads.Invocation(Payloads.DoubleEncoded("{\"id\":\"1\"}")), "no eventType" },
        { Payloads.Invocation(null), "Data['message']" },
        { "{\"Data\": ", "not valid JSON" },
        { "null", "JSON null" },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public async Task Unprocessable_messages_are_rejected_with_400_and_a_reason(string body, string reason)
    {
        var handler = new FakeIngestHandler();
        await using var server = await HandlerServer.StartAsync(handler);

        var (status, response) = await PostAsync(server, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertResponseShape(response);
        Assert.Contains(reason, Assert.Single(Logs(response)), StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task Blob_names_never_appear_in_logs()
    {
        const string phiName = "SMITH^JOHN_1970-01-01/ct.dcm";
        var handler = new FakeIngestHandler();
        await using var server = await HandlerServer.StartAsync(handler);

        var (_, ok) = await PostAsync(server, Payloads.Invocation(Payloads.DoubleEncoded(Payloads.EventGridEvent(blob: phiName))));
        handler.FailWith = new InvalidOperationException("quarantine write failed");
        var (_, failed) = await PostAsync(server, Payloads.Invocation(Payloads.DoubleEncoded(Payloads.EventGridEvent(blob: phiName))));
        var (_, rejected) = await PostAsync(server, Payloads.Invocation(Payloads.DoubleEncoded(Payloads.EventGridEvent(blob: phiName, urlOverride: "https://acct.blob.core.windows.net/incoming/SMITH^JANE.dcm"))));

        Assert.Equal(phiName, handler.Requests.First().BlobName);
        foreach (var log in Logs(ok).Concat(Logs(failed)).Concat(Logs(rejected)))
        {
            Assert.DoesNotContain("SMITH", log, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Missing_invocation_id_gets_a_generated_correlation_id()
    {
        var handler = new FakeIngestHandler();
        await using var server = await HandlerServer.StartAsync(handler);

        await PostAsync(server, Payloads.Invocation(Payloads.DoubleEncoded(Payloads.EventGridEvent())), invocationId: null);

        Assert.True(Guid.TryParse(Assert.Single(handler.Requests).CorrelationId, out _));
    }

    [Fact]
    public async Task The_host_port_variable_binds_the_handler_to_loopback_on_that_port()
    {
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        await using var server = await HandlerServer.StartAsync(new FakeIngestHandler(), [$"--{FunctionsApp.PortVariable}={port}"]);

        Assert.Equal(new Uri($"http://127.0.0.1:{port}/"), server.Client.BaseAddress);
        using var response = await server.Client.GetAsync("/", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_incoming_container_is_configurable()
    {
        var handler = new FakeIngestHandler();
        await using var server = await HandlerServer.StartAsync(handler, ["--urls", "http://127.0.0.1:0", "--CloudArchive:Containers:Incoming=uploads"]);

        var (accepted, _) = await PostAsync(server, Payloads.Invocation(Payloads.DoubleEncoded(Payloads.EventGridEvent(container: "uploads"))));
        var (rejected, body) = await PostAsync(server, Payloads.Invocation(Payloads.DoubleEncoded(Payloads.EventGridEvent(container: "incoming"))));

        Assert.Equal(HttpStatusCode.OK, accepted);
        Assert.Equal("uploads", Assert.Single(handler.Requests).Container);
        Assert.Equal(HttpStatusCode.BadRequest, rejected);
        Assert.Contains("from 'uploads' only", Assert.Single(Logs(body)), StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_host_port_is_a_startup_error()
    {
        Assert.Throws<InvalidOperationException>(() => FunctionsApp.Build([$"--{FunctionsApp.PortVariable}=http"]));
    }
}
