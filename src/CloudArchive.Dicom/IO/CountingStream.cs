namespace CloudArchive.Dicom;

/// <summary>A read-only pass-through that first serves a prefix, then the inner stream, counting bytes served.</summary>
internal sealed class CountingStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly byte[] _prefix;
    private int _prefixPos;

    public CountingStream(Stream inner, ReadOnlySpan<byte> prefix)
    {
        this._inner = inner;
        this._prefix = prefix.ToArray();
    }

    public long Count { get; private set; }

    public override long Position => Count;

    public override int Read(Span<byte> buffer)
    {
        if (_prefixPos < _prefix.Length)
        {
            var n = Math.Min(buffer.Length, _prefix.Length - _prefixPos);
            _prefix.AsSpan(_prefixPos, n).CopyTo(buffer);
            _prefixPos += n;
            Count += n;
            return n;
        }

        var r = _inner.Read(buffer);
        Count += r;
        return r;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_prefixPos < _prefix.Length)
        {
            return Read(buffer.Span);
        }

        var r = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Count += r;
        return r;
    }
}
