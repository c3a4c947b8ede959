using Azure;

namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>
/// Forward-only read of one blob version from an offset to its end: first bytes already held in memory, then one
/// streaming GET (opened on first need, pinned to the ETag, resumed by <see cref="BlobDownloadStream"/>).
/// </summary>
internal sealed class BlobSequentialReadStream : Stream
{
    private readonly BlobClient _blob;
    private readonly ETag _etag;
    private readonly long _length;
    private ArraySegment<byte> _cached;
    private BlobDownload? _download;
    private long _position;
    private bool _disposed;

    public BlobSequentialReadStream(BlobClient blob, ETag etag, long offset, long length, ArraySegment<byte> cached)
    {
        _blob = blob;
        _etag = etag;
        _position = offset;
        _length = length;
        _cached = cached;
    }

    public override bool CanRead => !_disposed;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException("A sequential blob stream is forward-only.");
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty || _position >= _length)
        {
            return 0;
        }

        if (_cached.Count > 0)
        {
            return FromCache(buffer);
        }

        _download ??= _blob.DownloadCoreAsync(Remaining(), Pinned(), async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return Advance(_download.Content.Read(buffer));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty || _position >= _length)
        {
            return 0;
        }

        if (_cached.Count > 0)
        {
            return FromCache(buffer.Span);
        }

        _download ??= await _blob.DownloadCoreAsync(Remaining(), Pinned(), async: true, cancellationToken).ConfigureAwait(false);
        return Advance(await _download.Content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A sequential blob stream is forward-only.");

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _download?.Dispose();
            _cached = ArraySegment<byte>.Empty;
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            if (_download is not null)
            {
                await _download.DisposeAsync().ConfigureAwait(false);
            }

            _cached = ArraySegment<byte>.Empty;
        }

        GC.SuppressFinalize(this);
    }

    private int FromCache(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, _cached.Count);
        _cached.AsSpan(0, n).CopyTo(buffer);
        _cached = _cached.Slice(n);
        _position += n;
        return n;
    }

    private int Advance(int read)
    {
        if (read == 0 && _position < _length)
        {
            throw new IOException("The blob returned fewer bytes than its length promised.");
        }

        _position += read;
        return read;
    }

    private BlobRange Remaining() => new(_position, _length - _position);

    private BlobRequestConditions Pinned() => new() { IfMatch = _etag };
}
