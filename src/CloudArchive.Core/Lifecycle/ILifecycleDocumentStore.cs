namespace CloudArchive.Core.Lifecycle;

/// <summary>
/// Small JSON documents of the lifecycle in the <c>control</c> container: legal holds (<c>holds/{id}.json</c>) and
/// erasure requests (<c>erasures/{id}.json</c>). Create-only and compare-and-swap writes, so two operators never
/// overwrite each other's change.
/// </summary>
public interface ILifecycleDocumentStore
{
    /// <summary>Reads a document, or null when it does not exist.</summary>
    Task<LifecycleDocument?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Creates a document only if none of that name exists; false if one does.</summary>
    Task<bool> TryCreateAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>Replaces a document only if its ETag is still <paramref name="etag"/>; false otherwise.</summary>
    Task<bool> TryReplaceAsync(string name, ReadOnlyMemory<byte> content, string etag, CancellationToken cancellationToken);

    /// <summary>The names under <paramref name="prefix"/>, in name order, paged by the store.</summary>
    IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken);
}
