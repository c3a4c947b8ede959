using Azure;
using Azure.Storage.Blobs.Models;
using CloudArchive.Dicom;

namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>
/// The body of one download, handed to code that knows no SDK: disposing it ends the download, and a failure while
/// reading (the SDK resumes a broken connection, pinned to the ETag, and may then be refused) surfaces as a
/// <see cref="StorageRequestException"/>.
/// </summary>
public sealed class DownloadContentStream : ReadOnlyStream
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
    public override long Length => _download.Details.ContentLength;

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        try
        {
            return _download.Content.Read(buffer);
        }
        catch (Exception ex) when (StorageErrors.TryGetFailure(ex, out var failure))
        {
            throw StorageErrors.From(failure, "GetBlob");
        }
    }

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
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _download.Dispose();
        }

        base.Dispose(disposing);
    }
}
