namespace CloudArchive.Core.Ingest;

/// <summary>An opened upload: a seekable read stream over one version of the blob.</summary>
public sealed class IncomingUpload : IAsyncDisposable
{
    /// <summary>Wraps an opened upload.</summary>
    /// <param name="content">Seekable read stream (ranged reads); owned and disposed by this object.</param>
    /// <param name="length">The blob length in bytes.</param>
    /// <param name="etag">The version that <paramref name="content"/> reads.</param>
    public IncomingUpload(Stream content, long length, string etag)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrEmpty(etag);
        if (!content.CanSeek || !content.CanRead)
        {
            throw new ArgumentException("The upload stream must be readable and seekable.", nameof(content));
        }

        Content = content;
        Length = length;
        ETag = etag;
    }

    /// <summary>The content (seekable).</summary>
    public Stream Content { get; }

    /// <summary>The length in bytes.</summary>
    public long Length { get; }

    /// <summary>The version read.</summary>
    public string ETag { get; }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
