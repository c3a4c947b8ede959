using CloudArchive.Dicom;

namespace CloudArchive.Functions.DicomWeb.Http;

/// <summary>
/// A forward-only read view that throws <see cref="PayloadTooLargeException"/> as soon as more than a limit has been
/// read: the limit holds while streaming, whether or not the request announced a Content-Length (chunked requests).
/// </summary>
internal sealed class ByteLimitStream(Stream inner, long limit, string limitName) : ReadOnlyStream
{
    private long _read;

    public override long Position => _read;

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Count(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken).ConfigureAwait(false));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    private int Count(int read)
    {
        _read += read;
        if (_read > limit)
        {
            throw new PayloadTooLargeException(limitName, limit);
        }

        return read;
    }
}
