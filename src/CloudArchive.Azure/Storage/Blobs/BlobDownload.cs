namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>
/// A download in progress: the blob's properties and its content as a forward-only network stream (not
/// buffered). Dispose it to release the connection. A broken connection is resumed transparently with a
/// ranged GET pinned to the original ETag, so a blob replaced mid-read fails instead of mixing versions.
/// </summary>
public sealed class BlobDownload : IDisposable, IAsyncDisposable
{
    internal BlobDownload(Stream content, BlobProperties properties, BlobRange? range, long contentLength)
    {
        Content = content;
        Properties = properties;
        Range = range;
        ContentLength = contentLength;
    }

    /// <summary>The bytes (of <see cref="Range"/> when one was asked for).</summary>
    public Stream Content { get; }

    /// <summary>The blob's properties and metadata; <see cref="BlobProperties.ContentLength"/> is the whole blob's size.</summary>
    public BlobProperties Properties { get; }

    /// <summary>The range requested, or null for the whole blob.</summary>
    public BlobRange? Range { get; }

    /// <summary>How many bytes <see cref="Content"/> delivers.</summary>
    public long ContentLength { get; }

    /// <inheritdoc />
    public void Dispose() => Content.Dispose();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
