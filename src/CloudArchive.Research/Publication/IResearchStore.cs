namespace CloudArchive.Research.Publication;

/// <summary>
/// Storage port for the <c>research</c> container (de-identified copies and manifests; names from
/// <see cref="ResearchNames"/>). Transient failures surface as exceptions.
/// </summary>
public interface IResearchStore
{
    /// <summary>Creates or replaces a blob. Tags carry only coarse, non-identifying facts (e.g. <c>ca_retain_until</c>).</summary>
    Task PutAsync(string name, Stream content, string contentType, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellationToken);

    /// <summary>Opens a blob for sequential reading, or returns null when it does not exist.</summary>
    Task<ResearchBlob?> OpenReadAsync(string name, CancellationToken cancellationToken);

    /// <summary>Lists blobs whose names start with <paramref name="prefix"/>, in name order.</summary>
    IAsyncEnumerable<ResearchBlobInfo> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Deletes a blob; false when it did not exist.</summary>
    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken);
}
