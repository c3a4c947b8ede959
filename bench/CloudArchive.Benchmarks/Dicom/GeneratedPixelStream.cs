namespace CloudArchive.Benchmarks.Dicom;

/// <summary>A read-only stream of generated 16-bit pixel bytes (a gradient that changes per frame), never held whole.</summary>
internal sealed class GeneratedPixelStream : Stream
{
    private const long BlockMask = (1 << 20) - 1;

    // A fixed 1 MiB block of pseudo-random bytes, varied per MiB by an XOR so frames differ.
    private static readonly byte[] Pattern = CreatePattern();

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
    public static byte ByteAt(long offset) => (byte)(Pattern[offset & BlockMask] ^ (byte)(offset >> 20));

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = (int)Math.Min(buffer.Length, length - position);
        var done = 0;
        while (done < n)
        {
            var at = position + done;
            var inBlock = (int)(at & BlockMask);
            var take = Math.Min(n - done, Pattern.Length - inBlock);
            var target = buffer.Slice(done, take);
            Pattern.AsSpan(inBlock, take).CopyTo(target);
            Xor(target, (byte)(at >> 20));
            done += take;
        }

        position += n;
        return n;
    }

    private static void Xor(Span<byte> data, byte value)
    {
        var mask = new System.Numerics.Vector<byte>(value);
        var i = 0;
        for (; i <= data.Length - System.Numerics.Vector<byte>.Count; i += System.Numerics.Vector<byte>.Count)
        {
            (new System.Numerics.Vector<byte>(data[i..]) ^ mask).CopyTo(data[i..]);
        }

        for (; i < data.Length; i++)
        {
            data[i] ^= value;
        }
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    private static byte[] CreatePattern()
    {
        var p = new byte[1 << 20];
        new Random(1234).NextBytes(p);
        return p;
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
