using System.Runtime.CompilerServices;
using CloudArchive.Research.Publication;

namespace CloudArchive.Functions.Tests.Research;

/// <summary>A research store whose listing waits until the request is cancelled: lets a test hang up mid-request.</summary>
internal sealed class HangingResearchStore(IResearchStore inner) : IResearchStore
{
    public TaskCompletionSource Listing { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task PutAsync(string name, Stream content, string contentType, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellationToken) =>
        inner.PutAsync(name, content, contentType, tags, cancellationToken);

    public Task<ResearchBlob?> OpenReadAsync(string name, CancellationToken cancellationToken) => inner.OpenReadAsync(name, cancellationToken);

    public async IAsyncEnumerable<ResearchBlobInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Listing.TrySetResult();
        await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        yield break;
    }

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) => inner.DeleteAsync(name, cancellationToken);
}
