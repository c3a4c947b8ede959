namespace CloudArchive.Dicom.Tests.Support;

/// <summary>Wraps a stream and hides seeking, like a network or blob download stream; optionally short reads.</summary>
public sealed class NonSeekableStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly int _maxRead;

    public NonSeekableStream(Stream inner, int maxRead = int.MaxValue)
    {
        this._inner = inner;
        this._maxRead = maxRead;
    }

    public override int Read(Span<byte> buffer) => _inner.Read(buffer[..Math.Min(buffer.Length, _maxRead)]);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _inner.ReadAsync(buffer[..Math.Min(buffer.Length, _maxRead)], cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
