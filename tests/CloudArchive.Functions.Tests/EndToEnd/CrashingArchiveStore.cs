using CloudArchive.Core.Archive;

namespace CloudArchive.Functions.Tests.EndToEnd;

/// <summary>The real archive store, except that the first successful instance write is followed by a "crash".</summary>
internal sealed class CrashingArchiveStore(IArchiveStore inner) : IArchiveStore
{
    private int _crashes = 1;

    public Task<ArchiveBlobInfo?> GetInfoAsync(string name, CancellationToken cancellationToken) => inner.GetInfoAsync(name, cancellationToken);

    public async Task<bool> TryCreateAsync(string name, Stream content, IReadOnlyDictionary<string, string> metadata, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        var created = await inner.TryCreateAsync(name, content, metadata, tags, cancellationToken);
        if (created && Interlocked.Decrement(ref _crashes) >= 0)
        {
            throw new IOException("Simulated process kill after the archive write.");
        }

        return created;
    }

    public async Task<ArchiveCreateResult> TryCreateStreamingAsync(string name, Stream content, IReadOnlyDictionary<string, string> metadata, Func<IReadOnlyDictionary<string, string>> trailingMetadata, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        var created = await inner.TryCreateStreamingAsync(name, content, metadata, trailingMetadata, tags, cancellationToken);
        if (created.Created && Interlocked.Decrement(ref _crashes) >= 0)
        {
            throw new IOException("Simulated process kill after the archive write.");
        }

        return created;
    }

    public Task RemoveMetadataAsync(string name, IReadOnlyCollection<string> metadataNames, CancellationToken cancellationToken) => inner.RemoveMetadataAsync(name, metadataNames, cancellationToken);

    public Task<bool> DeleteIfExistsAsync(string name, CancellationToken cancellationToken) => inner.DeleteIfExistsAsync(name, cancellationToken);

    public Task UpsertAsync(string name, Stream content, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken) => inner.UpsertAsync(name, content, metadata, cancellationToken);

    public Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken) => inner.OpenReadAsync(name, cancellationToken);

    public Task<ArchiveRangeRead?> OpenReadWithInfoAsync(string name, CancellationToken cancellationToken) => inner.OpenReadWithInfoAsync(name, cancellationToken);

    public Task<ArchiveRangeRead?> OpenRangeAsync(string name, long offset, long length, CancellationToken cancellationToken) => inner.OpenRangeAsync(name, offset, length, cancellationToken);
}
