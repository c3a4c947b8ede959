using CloudArchive.Core.Archive;

namespace CloudArchive.Functions.Tests.DicomWeb.Clinical;

/// <summary>The real archive store, counting what reads ask for: whole-blob reads and the ciphertext bytes of ranged reads.</summary>
public sealed class CountingArchiveStore(IArchiveStore inner) : IArchiveStore
{
    private long _rangeBytes;
    private int _wholeReads;

    /// <summary>Ciphertext bytes requested by ranged reads so far.</summary>
    public long RangeBytes => Interlocked.Read(ref _rangeBytes);

    /// <summary>Whole reads of instance blobs (<c>studies/...</c>) so far.</summary>
    public int WholeReads => Volatile.Read(ref _wholeReads);

    public Task<ArchiveBlobInfo?> GetInfoAsync(string name, CancellationToken cancellationToken) => inner.GetInfoAsync(name, cancellationToken);

    public Task<bool> TryCreateAsync(string name, Stream content, IReadOnlyDictionary<string, string> metadata, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken) =>
        inner.TryCreateAsync(name, content, metadata, tags, cancellationToken);

    public Task UpsertAsync(string name, Stream content, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken) =>
        inner.UpsertAsync(name, content, metadata, cancellationToken);

    public Task RemoveMetadataAsync(string name, IReadOnlyCollection<string> metadataNames, CancellationToken cancellationToken) =>
        inner.RemoveMetadataAsync(name, metadataNames, cancellationToken);

    public Task<bool> DeleteIfExistsAsync(string name, CancellationToken cancellationToken) => inner.DeleteIfExistsAsync(name, cancellationToken);

    public Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken)
    {
        CountWhole(name);
        return inner.OpenReadAsync(name, cancellationToken);
    }

    public Task<ArchiveCreateResult> TryCreateStreamingAsync(string name, Stream content, IReadOnlyDictionary<string, string> metadata, Func<IReadOnlyDictionary<string, string>> trailingMetadata, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken) =>
        inner.TryCreateStreamingAsync(name, content, metadata, trailingMetadata, tags, cancellationToken);

    public Task<ArchiveRangeRead?> OpenReadWithInfoAsync(string name, CancellationToken cancellationToken)
    {
        CountWhole(name);
        return inner.OpenReadWithInfoAsync(name, cancellationToken);
    }

    public Task<ArchiveRangeRead?> OpenRangeAsync(string name, long offset, long length, CancellationToken cancellationToken)
    {
        Interlocked.Add(ref _rangeBytes, length);
        return inner.OpenRangeAsync(name, offset, length, cancellationToken);
    }

    private void CountWhole(string name)
    {
        if (name.StartsWith("studies/", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _wholeReads);
        }
    }
}
