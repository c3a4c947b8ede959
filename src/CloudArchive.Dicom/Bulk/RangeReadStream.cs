using System.Buffers.Binary;

namespace CloudArchive.Dicom;

/// <summary>A read-only stream over a byte range served by positional reads; swaps big endian units to little endian.</summary>
internal sealed class RangeReadStream : Stream
{
    private readonly Func<long, Span<byte>, int> _readAt;
    private readonly long _length;
    private readonly int _swapUnit;
    private long _position;

    public RangeReadStream(Func<long, Span<byte>, int> readAt, long length, int swapUnit)
    {
        this._readAt = readAt;
        this._length = length;
        this._swapUnit = swapUnit;
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            if (_swapUnit > 1 && value % _swapUnit != 0)
            {
                throw new ArgumentException("Position must be aligned to the value unit size.", nameof(value));
            }

            _position = value;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var remaining = _length - _position;
        if (remaining <= 0 || buffer.Length == 0)
        {
            return 0;
        }

        var want = (int)Math.Min(buffer.Length, remaining);
        if (_swapUnit > 1 && want >= _swapUnit)
        {
            want -= want % _swapUnit;
        }

        var target = buffer[..want];
        var got = 0;
        while (got < want)
        {
            var n = _readAt(_position + got, target[got..]);
            if (n <= 0)
            {
                throw new EndOfStreamException("The bulk data source ended before the recorded value length.");
            }

            got += n;
        }

        if (_swapUnit > 1)
        {
            Swap(target, _swapUnit);
        }

        _position += got;
        return got;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => _length + offset,
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    internal static void Swap(Span<byte> data, int unit)
    {
        var whole = data.Length - (data.Length % unit);
        switch (unit)
        {
            case 2:
                for (var i = 0; i < whole; i += 2)
                {
                    (data[i], data[i + 1]) = (data[i + 1], data[i]);
                }

                break;
            case 4:
                for (var i = 0; i < whole; i += 4)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(data[i..], BinaryPrimitives.ReadUInt32BigEndian(data[i..]));
                }

                break;
            case 8:
                for (var i = 0; i < whole; i += 8)
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(data[i..], BinaryPrimitives.ReadUInt64BigEndian(data[i..]));
                }

                break;
        }
    }
}
