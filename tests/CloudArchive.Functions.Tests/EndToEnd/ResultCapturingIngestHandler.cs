using CloudArchive.Core.Ingest;

namespace CloudArchive.Functions.Tests.EndToEnd;

/// <summary>
/// Sits in front of the real ingest service and hands each result back to the delivery that caused it: a delivery
/// calls <see cref="Capture"/>, invokes the function through the local host's invoker, and finds the results of the
/// events it carried in the list (the list flows with the call as an async-local, so concurrent deliveries stay apart).
/// </summary>
internal sealed class ResultCapturingIngestHandler(IIngestHandler inner) : IIngestHandler
{
    private static readonly AsyncLocal<List<IngestResult>?> Current = new();

    /// <summary>Starts capturing for the calling flow; the returned list receives the results of what it invokes next.</summary>
    public static List<IngestResult> Capture()
    {
        var results = new List<IngestResult>();
        Current.Value = results;
        return results;
    }

    public async Task<IngestResult> IngestAsync(IngestRequest request, CancellationToken cancellationToken)
    {
        var result = await inner.IngestAsync(request, cancellationToken);
        Current.Value?.Add(result);
        return result;
    }
}
