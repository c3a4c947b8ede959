namespace CloudArchive.Core.Ingest;

/// <summary>
/// An opened upload: a seekable read stream over one version of the blob (for parsing), and optionally a cheaper
/// forward-only reader of the same version (for the single pass that MACs and encrypts it).
/// </summary>
public sealed class IncomingUpload : IAsyncDisposable
{
    private readonly Func<CancellationToken, Task<Stream>>? _openSequential;

    /// <summary>Wraps an opened upload.</summary>
    /// <param name="content">Seekable read stream (ranged reads); owned and disposed by this object.</param>
    /// <param name="length">The blob length in bytes.</param>
    /// <param name="etag">The version that <paramref name="content"/> reads.</param>
    /// <param name="openSequential">
    /// Opens a forward-only stream over the whole upload (the same version; e.g. one streaming GET pinned to the ETag).
    /// Null means <see cref="OpenSequentialAsync"/> reads <paramref name="content"/> from its start.
    /// </param>
    /// <param name="uploadReference">
    /// The uploader's <see cref="Ingest.UploadReference"/> from the blob's metadata, if any; a malformed one is dropped.
    /// </param>
    public IncomingUpload(Stream content, long length, string etag, Func<CancellationToken, Task<Stream>>? openSequential = null, string? uploadReference = null)
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
        _openSequential = openSequential;
        UploadReference = Ingest.UploadReference.ParseOrNull(uploadReference);
    }

    /// <summary>The uploader's well-formed reference (see <see cref="Ingest.UploadReference"/>), or null.</summary>
    public string? UploadReference { get; }

    /// <summary>The content (seekable).</summary>
    public Stream Content { get; }

    /// <summary>The length in bytes.</summary>
    public long Length { get; }

    /// <summary>The version read.</summary>
    public string ETag { get; }

    /// <summary>
    /// Opens a forward-only stream over the whole upload from its first byte. Dispose it before disposing this
    /// object; while it is open, do not read <see cref="Content"/>.
    /// </summary>
    public async Task<Stream> OpenSequentialAsync(CancellationToken cancellationToken)
    {
        if (_openSequential is not null)
        {
            return await _openSequential(cancellationToken).ConfigureAwait(false);
        }

        Content.Position = 0;
        return new NonDisposingStream(Content);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
