using CloudArchive.Core.Archive;

namespace CloudArchive.Functions.Tests.Lifecycle;

/// <summary>
/// The real archive store with two switchable faults: every create refused as the service refuses under load (503
/// ServerBusy), and the process "dying" on the n-th whole-blob read (a sweep interrupted mid-run).
/// </summary>
internal sealed class FaultyArchiveStore(IArchiveStore inner) : IArchiveStore
{
    private int _readsUntilCrash = int.MaxValue;

    public bool RefuseWrites { get; set; }

    /// <summary>The <paramref name="n"/>-th whole-blob read from now on throws.</summary>
    public void CrashOnRead(int n) => Volatile.Write(ref _readsUntilCrash, n);

    public void Heal()
    {
        RefuseWrites = false;
        Volatile.Write(ref _readsUntilCrash, int.MaxValue);
    }

    public Task<ArchiveBlobInfo?> GetInfoAsync(string name, CancellationToken cancellationToken) => inner.GetInfoAsync(name, cancellationToken);

    public Task<bool> TryCreateAsync(string name, Stream content, IReadOnlyDictionary<string, string> metadata, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken) =>
        RefuseWrites ? throw Busy() : inner.TryCreateAsync(name, content, metadata, tags, cancellationToken);

    public Task<ArchiveCreateResult> TryCreateStreamingAsync(string name, Stream content, IReadOnlyDictionary<string, string> metadata, Func<IReadOnlyDictionary<string, string>> trailingMetadata, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken) =>
        RefuseWrites ? throw Busy() : inner.TryCreateStreamingAsync(name, content, metadata, trailingMetadata, tags, cancellationToken);

    public Task<ArchiveRangeRead?> OpenReadWithInfoAsync(string name, CancellationToken cancellationToken) =>
        Interlocked.Decrement(ref _readsUntilCrash) == 0 ? throw new IOException("Simulated process kill during the sweep.") : inner.OpenReadWithInfoAsync(name, cancellationToken);

    public Task<ArchiveRangeRead?> OpenRangeAsync(string name, long offset, long length, CancellationToken cancellationToken) => inner.OpenRangeAsync(name, offset, length, cancellationToken);

    public Task RemoveMetadataAsync(string name, IReadOnlyCollection<string> metadataNames, CancellationToken cancellationToken) => inner.RemoveMetadataAsync(name, metadataNames, cancellationToken);

    public Task<bool> DeleteIfExistsAsync(string name, CancellationToken cancellationToken) => inner.DeleteIfExistsAsync(name, cancellationToken);

    public Task UpsertAsync(string name, Stream content, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken) => inner.UpsertAsync(name, content, metadata, cancellationToken);

    public Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken) => inner.OpenReadAsync(name, cancellationToken);

    private static CloudArchive.Azure.Storage.StorageRequestException Busy() =>
        new("PutBlob", 503, "ServerBusy", "test-request", "The server is busy.");
}
