using System.Buffers.Binary;

namespace CloudArchive.Dicom;

/// <summary>A read-only stream over a byte range served by positional reads; swaps big endian units to little endian.</summary>
internal sealed class RangeReadStream : Stream
{
    private readonly Func<long, Span<byte>, int> readAt;
    private readonly long length;
    private readonly int swapUnit;
    private long position;

    public RangeReadStream(Func<long, Span<byte>, int> readAt, long length, int swapUnit)
    {
        this.readAt = readAt;
        this.length = length;
        this.swapUnit = swapUnit;
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            if (swapUnit > 1 && value % swapUnit != 0)
            {
                throw new ArgumentException("Position must be aligned to the value unit size.", nameof(value));
            }

            position = value;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var remaining = length - position;
        if (remaining <= 0 || buffer.Length == 0)
        {
            return 0;
        }

        var want = (int)Math.Min(buffer.Length, remaining);
        if (swapUnit > 1 && want >= swapUnit)
        {
            want -= want % swapUnit;
        }

        var target = buffer[..want];
        var got = 0;
        while (got < want)
        {
            var n = readAt(position + got, target[got..]);
            if (n <= 0)
            {
                throw new EndOfStreamException("The bulk data source ended before the recorded value length.");
            }

            got += n;
        }

        if (swapUnit > 1)
        {
            Swap(target, swapUnit);
        }

        position += got;
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
            SeekOrigin.Current => position + offset,
            _ => length + offset,
        };
        return position;
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
