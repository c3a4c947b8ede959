using Azure.Core;
using Azure.Core.Pipeline;

namespace CloudArchive.Azure.Tests.Storage.Support;

/// <summary>Holds the first request that enters until <see cref="Release"/>, so tests can keep a request "in flight" deterministically.</summary>
internal sealed class RequestGatePolicy : HttpPipelinePolicy
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _armed = 1;

    /// <summary>Completes when the first request is being held.</summary>
    public Task Entered => _entered.Task;

    public void Release() => _release.TrySetResult();

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (Interlocked.Exchange(ref _armed, 0) == 1)
        {
            _entered.TrySetResult();
            await _release.Task.ConfigureAwait(false);
        }

        await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
    }
}
