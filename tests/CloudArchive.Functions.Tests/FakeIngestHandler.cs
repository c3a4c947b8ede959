using System.Collections.Concurrent;
using CloudArchive.Core.Ingest;

namespace CloudArchive.Functions.Tests;

/// <summary>Records what the function hands to the ingest service; optionally fails.</summary>
internal sealed class FakeIngestHandler : IIngestHandler
{
    public ConcurrentQueue<IngestRequest> Requests { get; } = new();

    public Exception? FailWith { get; set; }

    public Task<IngestResult> IngestAsync(IngestRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        if (FailWith is { } ex)
        {
            throw ex;
        }

        return Task.FromResult(new IngestResult(IngestOutcome.Archived, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"));
    }
}
