using CloudArchive.Research.Publication;

namespace CloudArchive.Functions.Tests.Research;

/// <summary>A research store in which one blob is listed but gone when read (deleted between listing and reading).</summary>
internal sealed class VanishingResearchStore(IResearchStore inner, string vanishing) : IResearchStore
{
    public Task PutAsync(string name, Stream content, string contentType, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellationToken) =>
        inner.PutAsync(name, content, contentType, tags, cancellationToken);

    public Task<ResearchBlob?> OpenReadAsync(string name, CancellationToken cancellationToken) =>
        name == vanishing ? Task.FromResult<ResearchBlob?>(null) : inner.OpenReadAsync(name, cancellationToken);

    public IAsyncEnumerable<ResearchBlobInfo> ListAsync(string prefix, CancellationToken cancellationToken) => inner.ListAsync(prefix, cancellationToken);

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) => inner.DeleteAsync(name, cancellationToken);
}
