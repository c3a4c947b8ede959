namespace CloudArchive.Benchmarks.Dicom;

/// <summary>A read-only stream of generated 16-bit pixel bytes (a gradient that changes per frame), never held whole.</summary>
internal sealed class GeneratedPixelStream : Stream
{
    private readonly long length;
    private long position;

    public GeneratedPixelStream(long length) => this.length = length;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => position;
        set => throw new NotSupportedException();
    }

    /// <summary>The byte at <paramref name="offset"/>; used to verify the rewritten file without storing the input.</summary>
    public static byte ByteAt(long offset) => (byte)((offset * 31) ^ (offset >> 19));

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = (int)Math.Min(buffer.Length, length - position);
        for (var i = 0; i < n; i++)
        {
            buffer[i] = ByteAt(position + i);
        }

        position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
