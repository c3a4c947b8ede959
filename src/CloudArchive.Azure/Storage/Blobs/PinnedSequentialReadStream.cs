using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CloudArchive.Dicom;

namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>
/// A forward-only read of one blob version from an offset: bytes already in memory first, then a single pinned GET for
/// the rest, opened on first need. Made by <see cref="PinnedBlobReadStream.OpenSequential"/>.
/// </summary>
internal sealed class PinnedSequentialReadStream(BlobClient blob, ETag etag, long offset, long length, byte[] cached) : ReadOnlyStream
{
    private int _cachedRead;
    private Stream? _rest;
    private long _position = offset;

    public override long Length => length;

    public override long Position => _position;

    public override int Read(byte[] buffer, int offset, int count) => ReadBlocking(buffer, offset, count);

    public override int Read(Span<byte> buffer) => ReadBlocking(buffer);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length == 0 || _position >= length)
        {
            return 0;
        }

        if (_cachedRead < cached.Length)
        {
            var n = Math.Min(buffer.Length, cached.Length - _cachedRead);
            cached.AsMemory(_cachedRead, n).CopyTo(buffer);
            _cachedRead += n;
            _position += n;
            return n;
        }

        if (_rest is null)
        {
            // The rest of the version in one GET; DownloadContentStream types its failures, resumed reads included.
            var options = new BlobDownloadOptions { Range = new HttpRange(_position), Conditions = new BlobRequestConditions { IfMatch = etag } };
            _rest = await DownloadContentStream.OpenAsync(() => blob.DownloadStreamingAsync(options, cancellationToken)).ConfigureAwait(false);
        }

        var read = await _rest.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        _position += read;
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _rest?.Dispose();
        }

        base.Dispose(disposing);
    }
}
