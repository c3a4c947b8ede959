namespace CloudArchive.Core.DicomWeb.Stow;

/// <summary>A forward-only stream that yields an already-read head and then the rest of the source it was read from.</summary>
internal sealed class HeadThenRestStream(byte[] head, int headLength, Stream rest) : Stream
{
    private int _headPosition;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_headPosition < headLength)
        {
            return FromHead(buffer);
        }

        var read = rest.Read(buffer);
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_headPosition < headLength)
        {
            return FromHead(buffer.Span);
        }

        var read = await rest.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        _position += read;
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int FromHead(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, headLength - _headPosition);
        head.AsSpan(_headPosition, count).CopyTo(buffer);
        _headPosition += count;
        _position += count;
        return count;
    }
}
