using System.Buffers.Binary;

namespace CloudArchive.Dicom;

/// <summary>
/// Buffered forward reader over the source stream with absolute offsets. Never allocates in proportion to a length
/// it has not read: callers check declared lengths against <see cref="Remaining"/> when it is known, and bulk
/// values move in fixed-size chunks.
/// </summary>
internal sealed class DicomInput
{
    private const int GrowThreshold = 1 << 20;

    private readonly Stream stream;
    private readonly byte[] buffer;
    private readonly CancellationToken cancellationToken;
    private int pos;
    private int len;
    private long bufferStart;
    private long streamPosition;

    public DicomInput(Stream stream, int bufferSize, long startOffset, long? totalLength, bool seekable, CancellationToken cancellationToken, ReadOnlySpan<byte> prefix = default)
    {
        this.stream = stream;
        this.cancellationToken = cancellationToken;
        buffer = new byte[Math.Max(bufferSize, Math.Max(4096, prefix.Length))];
        prefix.CopyTo(buffer);
        len = prefix.Length;
        bufferStart = startOffset;
        IsSeekable = seekable;
        End = totalLength;
        streamPosition = seekable ? stream.Position : 0;
    }

    public bool IsSeekable { get; }

    /// <summary>Absolute offset of the end of input when known.</summary>
    public long? End { get; }

    public long Position => bufferStart + pos;

    /// <summary>Bytes left to the end of input, when known.</summary>
    public long? Remaining => End - Position;

    public int Buffered => len - pos;

    /// <summary>The stream offset that corresponds to <see cref="Position"/> (seekable inputs only).</summary>
    public long StreamOffset => streamPosition - (len - pos);

    public Stream BaseStream => stream;

    public ReadOnlySpan<byte> Span(int n) => buffer.AsSpan(pos, n);

    public async ValueTask<bool> TryEnsureAsync(int n)
    {
        if (len - pos >= n)
        {
            return true;
        }

        if (pos > 0)
        {
            Buffer.BlockCopy(buffer, pos, buffer, 0, len - pos);
            bufferStart += pos;
            len -= pos;
            pos = 0;
        }

        if (IsSeekable && stream.Position != streamPosition)
        {
            // A bulk value of the same stream was read meanwhile (bulk data shares a caller's seekable stream).
            stream.Seek(streamPosition, SeekOrigin.Begin);
        }

        while (len < n)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int read;
            try
            {
                read = await stream.ReadAsync(buffer.AsMemory(len, buffer.Length - len), cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException ex)
            {
                throw new DicomFormatException("corrupt deflate stream", Position + len, null, ex);
            }

            if (read <= 0)
            {
                return false;
            }

            len += read;
            streamPosition += read;
        }

        return true;
    }

    public async ValueTask EnsureAsync(int n, DicomTag? tag)
    {
        if (!await TryEnsureAsync(n).ConfigureAwait(false))
        {
            throw new DicomFormatException("unexpected end of data (truncated input)", Position, tag);
        }
    }

    public ushort ReadUInt16(bool bigEndian)
    {
        var v = bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(pos)) : BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(pos));
        pos += 2;
        return v;
    }

    public uint ReadUInt32(bool bigEndian)
    {
        var v = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(pos)) : BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(pos));
        pos += 4;
        return v;
    }

    public byte PeekByte(int offset) => buffer[pos + offset];

    public void Advance(int n) => pos += n;

    /// <summary>Reads exactly <paramref name="n"/> bytes; the caller has bounded <paramref name="n"/>.</summary>
    public async ValueTask<byte[]> ReadBytesAsync(int n, DicomTag? tag)
    {
        if (n > GrowThreshold && !(Remaining >= n))
        {
            return await ReadBytesGrowingAsync(n, tag).ConfigureAwait(false);
        }

        var result = new byte[n];
        var done = 0;
        while (done < n)
        {
            if (len - pos == 0)
            {
                await EnsureAsync(1, tag).ConfigureAwait(false);
            }

            var take = Math.Min(n - done, len - pos);
            Buffer.BlockCopy(buffer, pos, result, done, take);
            pos += take;
            done += take;
        }

        return result;
    }

    /// <summary>
    /// For a large declared length that cannot be checked against the input size (non-seekable input), the result
    /// grows with the bytes actually read, so a lying length cannot make the reader allocate it up front.
    /// </summary>
    private async ValueTask<byte[]> ReadBytesGrowingAsync(int n, DicomTag? tag)
    {
        var result = new byte[GrowThreshold];
        var done = 0;
        while (done < n)
        {
            if (len - pos == 0)
            {
                await EnsureAsync(1, tag).ConfigureAwait(false);
            }

            var take = Math.Min(n - done, len - pos);
            if (done + take > result.Length)
            {
                Array.Resize(ref result, (int)Math.Min(n, Math.Max((long)result.Length * 2, done + take)));
            }

            Buffer.BlockCopy(buffer, pos, result, done, take);
            pos += take;
            done += take;
        }

        return result;
    }

    /// <summary>Moves forward; seeks when possible, otherwise reads and discards.</summary>
    public async ValueTask SkipAsync(long n, DicomTag? tag)
    {
        var inBuffer = Math.Min(n, len - pos);
        pos += (int)inBuffer;
        n -= inBuffer;
        if (n == 0)
        {
            return;
        }

        if (IsSeekable)
        {
            bufferStart += pos + n;
            pos = 0;
            len = 0;
            streamPosition += n;
            stream.Seek(streamPosition, SeekOrigin.Begin);
            return;
        }

        while (n > 0)
        {
            await EnsureAsync(1, tag).ConfigureAwait(false);
            var take = (int)Math.Min(n, len - pos);
            pos += take;
            n -= take;
        }
    }

    /// <summary>Copies <paramref name="n"/> bytes to <paramref name="sink"/> in buffer-sized chunks.</summary>
    public async ValueTask CopyToAsync(long n, Func<ReadOnlyMemory<byte>, ValueTask> sink, DicomTag? tag)
    {
        while (n > 0)
        {
            if (len - pos == 0)
            {
                await EnsureAsync(1, tag).ConfigureAwait(false);
            }

            var take = (int)Math.Min(n, len - pos);
            await sink(buffer.AsMemory(pos, take)).ConfigureAwait(false);
            pos += take;
            n -= take;
        }
    }

    /// <summary>The bytes already buffered beyond <see cref="Position"/> (handed to an inflater).</summary>
    public ReadOnlySpan<byte> TakeBuffered(out long streamOffset)
    {
        streamOffset = streamPosition;
        var s = buffer.AsSpan(pos, len - pos);
        bufferStart += len;
        pos = len = 0;
        return s;
    }
}
