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

    private readonly Stream _stream;
    private readonly byte[] _buffer;
    private readonly CancellationToken _cancellationToken;
    private int _pos;
    private int _len;
    private long _bufferStart;
    private long _streamPosition;

    public DicomInput(Stream stream, int bufferSize, long startOffset, long? totalLength, bool seekable, CancellationToken cancellationToken, ReadOnlySpan<byte> prefix = default)
    {
        this._stream = stream;
        this._cancellationToken = cancellationToken;
        _buffer = new byte[Math.Max(bufferSize, Math.Max(4096, prefix.Length))];
        prefix.CopyTo(_buffer);
        _len = prefix.Length;
        _bufferStart = startOffset;
        IsSeekable = seekable;
        End = totalLength;
        _streamPosition = seekable ? stream.Position : 0;
    }

    public bool IsSeekable { get; }

    /// <summary>Absolute offset of the end of input when known.</summary>
    public long? End { get; }

    public long Position => _bufferStart + _pos;

    /// <summary>Bytes left to the end of input, when known.</summary>
    public long? Remaining => End - Position;

    public int Buffered => _len - _pos;

    /// <summary>The stream offset that corresponds to <see cref="Position"/> (seekable inputs only).</summary>
    public long StreamOffset => _streamPosition - (_len - _pos);

    public Stream BaseStream => _stream;

    public ReadOnlySpan<byte> Span(int n) => _buffer.AsSpan(_pos, n);

    public async ValueTask<bool> TryEnsureAsync(int n)
    {
        if (_len - _pos >= n)
        {
            return true;
        }

        if (_pos > 0)
        {
            Buffer.BlockCopy(_buffer, _pos, _buffer, 0, _len - _pos);
            _bufferStart += _pos;
            _len -= _pos;
            _pos = 0;
        }

        if (IsSeekable && _stream.Position != _streamPosition)
        {
            // A bulk value of the same stream was read meanwhile (bulk data shares a caller's seekable stream).
            _stream.Seek(_streamPosition, SeekOrigin.Begin);
        }

        while (_len < n)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            int read;
            try
            {
                read = await _stream.ReadAsync(_buffer.AsMemory(_len, _buffer.Length - _len), _cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException ex)
            {
                throw new DicomFormatException("corrupt deflate stream", Position + _len, null, ex);
            }

            if (read <= 0)
            {
                return false;
            }

            _len += read;
            _streamPosition += read;
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
        var v = bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(_pos)) : BinaryPrimitives.ReadUInt16LittleEndian(_buffer.AsSpan(_pos));
        _pos += 2;
        return v;
    }

    public uint ReadUInt32(bool bigEndian)
    {
        var v = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(_buffer.AsSpan(_pos)) : BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(_pos));
        _pos += 4;
        return v;
    }

    public byte PeekByte(int offset) => _buffer[_pos + offset];

    public void Advance(int n) => _pos += n;

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
            if (_len - _pos == 0)
            {
                await EnsureAsync(1, tag).ConfigureAwait(false);
            }

            var take = Math.Min(n - done, _len - _pos);
            Buffer.BlockCopy(_buffer, _pos, result, done, take);
            _pos += take;
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
            if (_len - _pos == 0)
            {
                await EnsureAsync(1, tag).ConfigureAwait(false);
            }

            var take = Math.Min(n - done, _len - _pos);
            if (done + take > result.Length)
            {
                Array.Resize(ref result, (int)Math.Min(n, Math.Max((long)result.Length * 2, done + take)));
            }

            Buffer.BlockCopy(_buffer, _pos, result, done, take);
            _pos += take;
            done += take;
        }

        return result;
    }

    /// <summary>Moves forward; seeks when possible, otherwise reads and discards.</summary>
    public async ValueTask SkipAsync(long n, DicomTag? tag)
    {
        var inBuffer = Math.Min(n, _len - _pos);
        _pos += (int)inBuffer;
        n -= inBuffer;
        if (n == 0)
        {
            return;
        }

        if (IsSeekable)
        {
            _bufferStart += _pos + n;
            _pos = 0;
            _len = 0;
            _streamPosition += n;
            _stream.Seek(_streamPosition, SeekOrigin.Begin);
            return;
        }

        while (n > 0)
        {
            await EnsureAsync(1, tag).ConfigureAwait(false);
            var take = (int)Math.Min(n, _len - _pos);
            _pos += take;
            n -= take;
        }
    }

    /// <summary>Copies <paramref name="n"/> bytes to <paramref name="sink"/> in buffer-sized chunks.</summary>
    public async ValueTask CopyToAsync(long n, Func<ReadOnlyMemory<byte>, ValueTask> sink, DicomTag? tag)
    {
        while (n > 0)
        {
            if (_len - _pos == 0)
            {
                await EnsureAsync(1, tag).ConfigureAwait(false);
            }

            var take = (int)Math.Min(n, _len - _pos);
            await sink(_buffer.AsMemory(_pos, take)).ConfigureAwait(false);
            _pos += take;
            n -= take;
        }
    }

    /// <summary>The bytes already buffered beyond <see cref="Position"/> (handed to an inflater).</summary>
    public ReadOnlySpan<byte> TakeBuffered(out long streamOffset)
    {
        streamOffset = _streamPosition;
        var s = _buffer.AsSpan(_pos, _len - _pos);
        _bufferStart += _len;
        _pos = _len = 0;
        return s;
    }
}
