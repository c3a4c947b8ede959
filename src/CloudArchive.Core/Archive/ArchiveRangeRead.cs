namespace CloudArchive.Core.Archive;

/// <summary>A byte range of an archive blob together with the blob's length and metadata as read with it.</summary>
public sealed class ArchiveRangeRead : IAsyncDisposable
{
    /// <summary>Wraps a range read.</summary>
    /// <param name="info">The whole blob's length and metadata.</param>
    /// <param name="content">The requested bytes; owned and disposed by this object.</param>
    public ArchiveRangeRead(ArchiveBlobInfo info, Stream content)
    {
        Info = info ?? throw new ArgumentNullException(nameof(info));
        Content = content ?? throw new ArgumentNullException(nameof(content));
    }

    /// <summary>The whole blob's length and metadata.</summary>
    public ArchiveBlobInfo Info { get; }

    /// <summary>The requested bytes.</summary>
    public Stream Content { get; }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
