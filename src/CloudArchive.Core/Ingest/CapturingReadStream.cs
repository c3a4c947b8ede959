using System.Buffers;
using CloudArchive.Dicom;

namespace CloudArchive.Core.Ingest;

/// <summary>
/// A forward-only read view of a stream that keeps a copy of everything read as long as the total stays within a
/// limit: the exact bytes handed to a single-request write, kept so they can be checked after the commit without
/// reading the blob back. Past the limit the copy is dropped and <see cref="TryGetCaptured"/> reports nothing.
/// </summary>
internal sealed class CapturingReadStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly int _limit;
    private byte[]? _buffer;
    private int _length;
    private bool _ended;

    public CapturingReadStream(Stream inner, int limit)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        _limit = limit;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(limit, 64 * 1024));
    }

    /// <summary>Everything read, when the inner stream ended within the limit; otherwise empty with false.</summary>
    public bool TryGetCaptured(out ArraySegment<byte> captured)
    {
        captured = _ended && _buffer is not null ? new ArraySegment<byte>(_buffer, 0, _length) : default;
        return _ended && _buffer is not null;
    }

    public override int Read(Span<byte> buffer)
    {
        var read = _inner.Read(buffer);
        Keep(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Keep(buffer.Span[..read]);
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Release();
        }

        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync()
    {
        Release();
        return base.DisposeAsync();
    }

    private void Keep(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            _ended = true;
            return;
        }

        if (_buffer is null)
        {
            return;
        }

        if ((long)_length + data.Length > _limit)
        {
            Release();
            return;
        }

        if (_length + data.Length > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(_limit, Math.Max((long)_buffer.Length * 2, (long)_length + data.Length)));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        data.CopyTo(_buffer.AsSpan(_length));
        _length += data.Length;
    }

    private void Release()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
