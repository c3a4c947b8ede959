using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace CloudArchive.Functions.Tests.EndToEnd;

/// <summary>
/// An HTTP transport in front of Azurite that answers 503 for selected requests: either without forwarding them
/// (the service was unavailable) or after forwarding them (the write happened but the response was lost).
/// </summary>
internal sealed class FlakyStorageTransport(Func<Request, FlakyStorageTransport.Fault> decide) : HttpPipelineTransport
{
    private readonly HttpClientTransport _inner = new();
    private int _injected;

    public enum Fault
    {
        None,
        FailBeforeForwarding,
        FailAfterForwarding,
    }

    public int Injected => _injected;

    public override Request CreateRequest() => _inner.CreateRequest();

    public override void Process(HttpMessage message) => ProcessAsync(message).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message)
    {
        var fault = decide(message.Request);
        if (fault == Fault.FailBeforeForwarding)
        {
            Interlocked.Increment(ref _injected);
            message.Response = new ServiceUnavailableResponse(message.Request.ClientRequestId);
            return;
        }

        await _inner.ProcessAsync(message);
        if (fault == Fault.FailAfterForwarding)
        {
            Interlocked.Increment(ref _injected);
            message.Response.Dispose();
            message.Response = new ServiceUnavailableResponse(message.Request.ClientRequestId);
        }
    }

    private sealed class ServiceUnavailableResponse(string clientRequestId) : Response
    {
        private readonly Dictionary<string, string> _headers = new(StringComparer.OrdinalIgnoreCase)
        {
            ["x-ms-error-code"] = "ServerBusy",
            ["Content-Type"] = "application/xml",
        };

        public override int Status => 503;

        public override string ReasonPhrase => "Service Unavailable";

        public override Stream? ContentStream { get; set; } = new MemoryStream("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>ServerBusy</Code><Message>Injected by the test.</Message></Error>"u8.ToArray());

        public override string ClientRequestId { get; set; } = clientRequestId;

        public override void Dispose() => ContentStream?.Dispose();

        protected override bool ContainsHeader(string name) => _headers.ContainsKey(name);

        protected override IEnumerable<HttpHeader> EnumerateHeaders() => _headers.Select(h => new HttpHeader(h.Key, h.Value));

        protected override bool TryGetHeader(string name, out string value) => _headers.TryGetValue(name, out value!);

        protected override bool TryGetHeaderValues(string name, out IEnumerable<string> values)
        {
            var found = _headers.TryGetValue(name, out var value);
            values = found ? [value!] : [];
            return found;
        }
    }
}
