namespace CloudArchive.Dicom;

/// <summary>Reads at most a given number of bytes from an inner stream (disposed with it).</summary>
internal sealed class BoundedReadStream(Stream inner, long limit) : ReadOnlyStream
{
    private readonly long _length = limit;
    private long _remaining = limit;

    public override long Length => _length;

    public override long Position => _length - _remaining;

    public override int Read(Span<byte> buffer)
    {
        if (_remaining <= 0)
        {
            return 0;
        }

        var n = inner.Read(buffer[..(int)Math.Min(buffer.Length, _remaining)]);
        _remaining -= n;
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_remaining <= 0)
        {
            return 0;
        }

        var n = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _remaining)], cancellationToken).ConfigureAwait(false);
        _remaining -= n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
