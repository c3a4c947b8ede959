using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace CloudArchive.Azure.Tests.Storage.Support;

/// <summary>
/// Records method, URI and headers of every request sent to real Azurite (bodies are not copied: uploads are large).
/// Added through <c>StorageOptions.ConfigureClient</c> just before the transport, so it sees what goes on the wire:
/// every retry, with the Authorization header and the SAS in the query.
/// </summary>
internal sealed class RequestRecordingPolicy : HttpPipelineSynchronousPolicy
{
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>A hook for <c>StorageOptions.ConfigureClient</c> that adds this policy.</summary>
    public void AddTo(ClientOptions options) => options.AddPolicy(this, HttpPipelinePosition.BeforeTransport);

    /// <summary>The requests of one REST operation: <c>PUT</c> (Put Blob), <c>PUT block</c>, <c>PUT blocklist</c>, <c>GET</c>...</summary>
    public IReadOnlyList<RecordedRequest> Of(string operation) => Requests.Where(r => Operation(r) == operation).ToList();

    /// <summary>Method and <c>comp</c> of every request, in order.</summary>
    public IReadOnlyList<string> Operations => Requests.Select(Operation).ToList();

    public static string Operation(RecordedRequest request) =>
        request.Query.TryGetValue("comp", out var comp) ? $"{request.Method} {comp}"
        : request.Query.TryGetValue("restype", out var restype) ? $"{request.Method} {restype}"
        : request.Method;

    public override void OnSendingRequest(HttpMessage message)
    {
        var headers = message.Request.Headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase);
        Requests.Enqueue(new RecordedRequest(message.Request.Method.Method, message.Request.Uri.ToUri(), headers, []));
    }
}
