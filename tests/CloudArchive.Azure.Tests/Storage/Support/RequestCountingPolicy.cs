using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace CloudArchive.Azure.Tests.Storage.Support;

/// <summary>Records the method and <c>comp</c> of every request sent to real Azurite, to tell single from staged uploads.</summary>
internal sealed class RequestCountingPolicy : HttpPipelineSynchronousPolicy
{
    public ConcurrentQueue<string> Operations { get; } = new();

    public int Count(string operation) => Operations.Count(o => o == operation);

    public override void OnSendingRequest(HttpMessage message)
    {
        var query = message.Request.Uri.Query;
        var comp = query.Split(['?', '&'], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(p => p.StartsWith("comp=", StringComparison.Ordinal));
        var isContainer = query.Contains("restype=container", StringComparison.Ordinal);
        Operations.Enqueue(message.Request.Method.Method + (comp is not null ? " " + comp[5..] : isContainer ? " container" : string.Empty));
    }
}
