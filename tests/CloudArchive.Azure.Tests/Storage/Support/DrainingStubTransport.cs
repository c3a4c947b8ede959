using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace CloudArchive.Azure.Tests.Storage.Support;

/// <summary>
/// Answers every request with 201 and the given headers after reading its body to the end without keeping it: for
/// checking how many requests a write of hundreds of MiB is cut into, which Azurite would make slow.
/// </summary>
internal sealed class DrainingStubTransport(params (string Name, string Value)[] headers) : HttpPipelineTransport
{
    /// <summary>Method and <c>comp</c> of every request, e.g. <c>PUT</c> or <c>PUT block</c>.</summary>
    public ConcurrentQueue<string> Operations { get; } = new();

    public override Request CreateRequest() => HttpClientTransport.Shared.CreateRequest();

    public override void Process(HttpMessage message) => ProcessAsync(message).AsTask().GetAwaiter().GetResult();

    public override ValueTask ProcessAsync(HttpMessage message)
    {
        message.Request.Content?.WriteTo(Stream.Null, message.CancellationToken);
        var query = message.Request.Uri.Query;
        var comp = query.Split(['?', '&'], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(p => p.StartsWith("comp=", StringComparison.Ordinal));
        Operations.Enqueue(message.Request.Method.Method + (comp is null ? string.Empty : " " + comp[5..]));
        message.Response = new StubResponse(201, null, [.. headers, ("x-ms-request-id", "stub")]) { ClientRequestId = message.Request.ClientRequestId };
        return ValueTask.CompletedTask;
    }
}
