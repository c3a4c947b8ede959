using System.Collections.Concurrent;
using CloudArchive.Core.Ingest;

namespace CloudArchive.Azure.Tests.Lifecycle;

/// <summary>Records the calls shred, erasure and the sweep make to the quarantine port (its implementation belongs to the quarantine change).</summary>
internal sealed class RecordingQuarantineLifecycle : IQuarantineLifecycle
{
    public ConcurrentQueue<string> StudiesDeleted { get; } = new();

    public ConcurrentQueue<DateTimeOffset> ExpiredCalls { get; } = new();

    public Task<int> DeleteStudyAsync(string studyKey, CancellationToken cancellationToken)
    {
        StudiesDeleted.Enqueue(studyKey);
        return Task.FromResult(1);
    }

    public Task<int> DeleteExpiredAsync(DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        ExpiredCalls.Enqueue(asOf);
        return Task.FromResult(2);
    }
}
