namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>
/// Forward-only stream over a GET response that resumes from the current offset (same ETag) when the
/// connection breaks or ends early.
/// </summary>
internal sealed class BlobDownloadStream : Stream
{
    /// <summary>Opens the remaining bytes starting at an absolute blob offset.</summary>
    internal delegate ValueTask<Stream> Reopen(long absoluteOffset, long remaining, bool async, CancellationToken cancellationToken);

    private readonly Reopen _reopen;
    private readonly long _start;
    private readonly long _length;
    private readonly int _maxResumes;
    private Stream _inner;
    private long _position;
    private int _resumes;

    public BlobDownloadStream(Stream inner, long start, long length, int maxResumes, Reopen reopen)
    {
        _inner = inner;
        _start = start;
        _length = length;
        _maxResumes = maxResumes;
        _reopen = reopen;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException("A blob download stream is forward-only; use BlobClient.OpenReadAsync for random access.");
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var array = System.Buffers.ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            var n = ReadCoreAsync(array.AsMemory(0, buffer.Length), async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            array.AsSpan(0, n).CopyTo(buffer);
            return n;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(array);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadCoreAsync(buffer.AsMemory(offset, count), async: true, cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ReadCoreAsync(buffer, async: true, cancellationToken);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A blob download stream is forward-only.");

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private async ValueTask<int> ReadCoreAsync(Memory<byte> buffer, bool async, CancellationToken cancellationToken)
    {
        if (buffer.IsEmpty || _position >= _length)
        {
            return 0;
        }

        while (true)
        {
            int read;
            try
            {
                read = async
                    ? await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)
                    : _inner.Read(buffer.Span);
                if (read == 0)
                {
                    throw new IOException("The blob download ended before all bytes arrived.");
                }
            }
            catch (Exception ex) when (ex is IOException or System.Net.Http.HttpRequestException && !cancellationToken.IsCancellationRequested && _resumes < _maxResumes)
            {
                _resumes++;
                await _inner.DisposeAsync().ConfigureAwait(false);
                _inner = await _reopen(_start + _position, _length - _position, async, cancellationToken).ConfigureAwait(false);
                continue;
            }

            _position += read;
            return read;
        }
    }
}
