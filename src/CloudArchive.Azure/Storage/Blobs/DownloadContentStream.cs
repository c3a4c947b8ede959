using Azure;
using Azure.Storage.Blobs.Models;

namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>
/// The body of one download, handed to code that knows no SDK: disposing it ends the download, and a failure while
/// reading (the SDK resumes a broken connection, pinned to the ETag, and may then be refused) surfaces as a
/// <see cref="StorageRequestException"/>.
/// </summary>
public sealed class DownloadContentStream : Stream
{
    private readonly BlobDownloadStreamingResult _download;

    /// <summary>Takes ownership of <paramref name="download"/>.</summary>
    public DownloadContentStream(BlobDownloadStreamingResult download) => _download = download ?? throw new ArgumentNullException(nameof(download));

    /// <summary>Starts a download and wraps it.</summary>
    public static async Task<DownloadContentStream> OpenAsync(Func<Task<Response<BlobDownloadStreamingResult>>> download) =>
        new(await StorageCall.RunAsync("GetBlob", async () => (await download().ConfigureAwait(false)).Value).ConfigureAwait(false));

    /// <summary>The response's properties (length of this body, ETag, metadata, range).</summary>
    public BlobDownloadDetails Details => _download.Details;

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => _download.Details.ContentLength;

    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count)
    {
        try
        {
            return _download.Content.Read(buffer, offset, count);
        }
        catch (Exception ex) when (StorageErrors.TryGetFailure(ex, out var failure))
        {
            throw StorageErrors.From(failure, "GetBlob");
        }
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _download.Content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageErrors.TryGetFailure(ex, out var failure))
        {
            throw StorageErrors.From(failure, "GetBlob");
        }
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _download.Dispose();
        }

        base.Dispose(disposing);
    }
}
