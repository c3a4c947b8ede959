namespace CloudArchive.Core.Ingest;

/// <summary>
/// Storage port for the <c>incoming</c> container: opens an upload for reading and deletes it once it is safely
/// archived or quarantined. Transient failures (after the client's own retries) must surface as exceptions so the
/// invocation fails and the host re-delivers the event.
/// </summary>
public interface IIncomingStore
{
    /// <summary>Opens the upload for seekable, ranged reading pinned to its current version, or returns null when it does not exist.</summary>
    Task<IncomingUpload?> OpenAsync(string container, string blobName, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the upload if it is still the version that was read (<paramref name="etag"/>). Returns false when it is
    /// already gone or was replaced by a newer upload (which then gets its own event).
    /// </summary>
    Task<bool> DeleteAsync(string container, string blobName, string etag, CancellationToken cancellationToken);

    /// <summary>The upload's current ETag, or null when it does not exist (a properties request that reads no content).</summary>
    Task<string?> GetETagAsync(string container, string blobName, CancellationToken cancellationToken);
}
