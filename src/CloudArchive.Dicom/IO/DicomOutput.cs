using System.Buffers;
using System.Buffers.Binary;

namespace CloudArchive.Dicom;

/// <summary>Buffered forward writer with explicit byte order; bulk values bypass the buffer in fixed-size chunks.</summary>
internal sealed class DicomOutput
{
    private readonly Stream _stream;
    private readonly byte[] _buffer;
    private readonly CancellationToken _cancellationToken;
    private int _len;

    public DicomOutput(Stream stream, int bufferSize, CancellationToken cancellationToken)
    {
        this._stream = stream;
        this._cancellationToken = cancellationToken;
        _buffer = new byte[Math.Max(bufferSize, 4096)];
    }

    public long Written { get; private set; }

    public async ValueTask EnsureSpaceAsync(int n)
    {
        if (_buffer.Length - _len < n)
        {
            await FlushAsync().ConfigureAwait(false);
        }
    }

    public void WriteUInt16(ushort v, bool bigEndian)
    {
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(_len), v);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(_len), v);
        }

        _len += 2;
        Written += 2;
    }

    public void WriteUInt32(uint v, bool bigEndian)
    {
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(_len), v);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_len), v);
        }

        _len += 4;
        Written += 4;
    }

    public void WriteByte(byte b)
    {
        _buffer[_len++] = b;
        Written++;
    }

    /// <summary>Writes bytes, swapping each <paramref name="swapUnit"/>-byte unit when it is above 1.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, int swapUnit)
    {
        while (data.Length > 0)
        {
            if (_len == _buffer.Length)
            {
                await FlushAsync().ConfigureAwait(false);
            }

            var room = _buffer.Length - _len;
            var take = Math.Min(room, data.Length);
            if (swapUnit > 1 && take < data.Length)
            {
                take -= take % swapUnit;
                if (take == 0)
                {
                    await FlushAsync().ConfigureAwait(false);
                    continue;
                }
            }

            var target = _buffer.AsSpan(_len, take);
            data.Span[..take].CopyTo(target);
            if (swapUnit > 1)
            {
                RangeReadStream.Swap(target, swapUnit);
            }

            _len += take;
            Written += take;
            data = data[take..];
        }
    }

    /// <summary>
    /// Copies exactly <paramref name="length"/> bytes from <paramref name="source"/> through two fixed-size buffers,
    /// written straight to the target stream; the next chunk is read while the previous one is being written.
    /// </summary>
    public async ValueTask CopyFromAsync(Stream source, long length, int swapUnit, int bufferSize)
    {
        await FlushAsync().ConfigureAwait(false);
        var size = (int)Math.Min(bufferSize, Math.Max(8, length + 8));
        size -= size % 8;
        var chunk = ArrayPool<byte>.Shared.Rent(size);
        var spare = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            await CopyChunkedAsync(source, length, swapUnit, size, chunk, spare).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
            ArrayPool<byte>.Shared.Return(spare);
        }
    }

    private async ValueTask CopyChunkedAsync(Stream source, long length, int swapUnit, int size, byte[] chunk, byte[] spare)
    {
        var remaining = length;
        Task pending = Task.CompletedTask;
        var current = chunk;
        var other = spare;
        while (remaining > 0)
        {
            var want = (int)Math.Min(size, remaining);
            var got = await source.ReadAtLeastAsync(current.AsMemory(0, want), want, false, _cancellationToken).ConfigureAwait(false);
            if (got < want)
            {
                await pending.ConfigureAwait(false);
                throw new IOException("A bulk data source returned fewer bytes than its stated length.");
            }

            if (swapUnit > 1)
            {
                RangeReadStream.Swap(current.AsSpan(0, got), swapUnit);
            }

            await pending.ConfigureAwait(false);
            pending = _stream.WriteAsync(current.AsMemory(0, got), _cancellationToken).AsTask();
            Written += got;
            remaining -= got;
            (current, other) = (other, current);
        }

        await pending.ConfigureAwait(false);
    }

    public async ValueTask FlushAsync()
    {
        if (_len > 0)
        {
            await _stream.WriteAsync(_buffer.AsMemory(0, _len), _cancellationToken).ConfigureAwait(false);
            _len = 0;
        }
    }
}
