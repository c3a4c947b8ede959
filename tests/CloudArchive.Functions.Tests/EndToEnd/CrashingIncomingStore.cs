using CloudArchive.Core.Ingest;

namespace CloudArchive.Functions.Tests.EndToEnd;

/// <summary>The real incoming store, except that the first delete of <paramref name="blobName"/> "crashes" before reaching storage.</summary>
internal sealed class CrashingIncomingStore(IIncomingStore inner, string blobName) : IIncomingStore
{
    private int _crashes = 1;

    public Task<IncomingUpload?> OpenAsync(string container, string blobName, CancellationToken cancellationToken) => inner.OpenAsync(container, blobName, cancellationToken);

    public Task<string?> GetETagAsync(string container, string blobName, CancellationToken cancellationToken) => inner.GetETagAsync(container, blobName, cancellationToken);

    public Task<bool> DeleteAsync(string container, string name, string etag, CancellationToken cancellationToken) =>
        name == blobName && Interlocked.Decrement(ref _crashes) >= 0
            ? throw new IOException("Simulated process kill before the upload's deletion.")
            : inner.DeleteAsync(container, name, etag, cancellationToken);
}
