using CloudArchive.Research.Publication;

namespace CloudArchive.Functions.Tests.Research;

/// <summary>A research store whose listings fail with a programming error (a 500 inside an allowed request).</summary>
internal sealed class ExplodingResearchStore(IResearchStore inner) : IResearchStore
{
    public Task PutAsync(string name, Stream content, string contentType, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellationToken) =>
        inner.PutAsync(name, content, contentType, tags, cancellationToken);

    public Task<ResearchBlob?> OpenReadAsync(string name, CancellationToken cancellationToken) => inner.OpenReadAsync(name, cancellationToken);

    public IAsyncEnumerable<ResearchBlobInfo> ListAsync(string prefix, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("listing exploded");

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) => inner.DeleteAsync(name, cancellationToken);
}
