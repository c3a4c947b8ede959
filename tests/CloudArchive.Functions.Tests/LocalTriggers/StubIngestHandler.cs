using System.Collections.Concurrent;
using CloudArchive.Core.Ingest;

namespace CloudArchive.Functions.Tests.LocalTriggers;

/// <summary>Stands in for the ingest service: records each request; can fail or block until cancelled.</summary>
internal sealed class StubIngestHandler : IIngestHandler
{
    public ConcurrentQueue<IngestRequest> Requests { get; } = new();

    public bool Fail { get; set; }

    public bool BlockUntilCancelled { get; set; }

    public async Task<IngestResult> IngestAsync(IngestRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        if (BlockUntilCancelled)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        if (Fail)
        {
            throw new InvalidOperationException("stub ingest failure");
        }

        return new IngestResult(IngestOutcome.Archived, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    }
}
