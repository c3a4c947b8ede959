using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace CloudArchive.Azure.Tests.Storage.Support;

/// <summary>
/// A loopback recorder: captures every request the pipeline would send (after all policies ran, so with
/// auth headers) and answers with what the responder says. Used only where Azurite cannot serve
/// (immutability, legal hold, versions, bearer auth over HTTPS) and to script failures.
/// </summary>
internal sealed class RecordingTransport : HttpPipelineTransport
{
    private readonly Func<RecordedRequest, StubResponse> _responder;

    public RecordingTransport(Func<RecordedRequest, StubResponse> responder) => _responder = responder;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public override Request CreateRequest() => HttpClientTransport.Shared.CreateRequest();

    public override void Process(HttpMessage message) => ProcessAsync(message).AsTask().GetAwaiter().GetResult();

    public override ValueTask ProcessAsync(HttpMessage message)
    {
        var body = new MemoryStream();
        message.Request.Content?.WriteTo(body, message.CancellationToken);
        var headers = message.Request.Headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase);
        var recorded = new RecordedRequest(message.Request.Method.Method, message.Request.Uri.ToUri(), headers, body.ToArray());
        Requests.Enqueue(recorded);
        var response = _responder(recorded);
        response.ClientRequestId = message.Request.ClientRequestId;
        message.Response = response;
        return ValueTask.CompletedTask;
    }
}
