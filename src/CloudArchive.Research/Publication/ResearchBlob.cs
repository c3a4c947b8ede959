namespace CloudArchive.Research.Publication;

/// <summary>An open research blob: a forward-only content stream and its length. Dispose to release the connection.</summary>
public sealed class ResearchBlob : IAsyncDisposable
{
    /// <summary>Wraps an open stream.</summary>
    public ResearchBlob(Stream content, long length)
    {
        Content = content ?? throw new ArgumentNullException(nameof(content));
        Length = length;
    }

    /// <summary>The content, read sequentially.</summary>
    public Stream Content { get; }

    /// <summary>Size in bytes.</summary>
    public long Length { get; }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
