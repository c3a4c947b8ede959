namespace CloudArchive.Functions.Research;

/// <summary>
/// A write-only stream over the response body that never blocks on it: synchronous writes (which Kestrel forbids) are
/// held in memory and sent with the next asynchronous write or flush. <see cref="System.IO.Compression.ZipArchive"/>
/// writes an entry's data descriptor (and parts of its headers) synchronously even through its async API; those
/// pieces are a few dozen bytes each, while the entry contents go through <see cref="WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/>
/// unbuffered. Call <see cref="FlushAsync(CancellationToken)"/> after the archive is disposed to send the tail.
/// </summary>
public sealed class DeferredSyncWriteStream : Stream
{
    /// <summary>The most bytes held from synchronous writes (the ZIP central directory of a very large study fits).</summary>
    public const int MaxPendingBytes = 64 * 1024 * 1024;

    private readonly Stream _inner;
    private readonly MemoryStream _pending = new();
    private bool _abandoned;

    /// <summary>Wraps <paramref name="inner"/> (left open on dispose).</summary>
    public DeferredSyncWriteStream(Stream inner) => _inner = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <summary>
    /// Drops everything written from now on. Used when producing the content failed: the ZIP writer still emits its
    /// closing records while it is disposed, and those must not make a truncated archive look complete.
    /// </summary>
    public void Abandon()
    {
        _abandoned = true;
        _pending.SetLength(0);
    }

    /// <inheritdoc />
    public override bool CanRead => false;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => true;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_abandoned)
        {
            return;
        }

        if (_pending.Length + buffer.Length > MaxPendingBytes)
        {
            throw new InvalidOperationException("Too much data written synchronously to the response.");
        }

        _pending.Write(buffer);
    }

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_abandoned)
        {
            return;
        }

        await SendPendingAsync(cancellationToken).ConfigureAwait(false);
        await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override void Flush()
    {
        // Nothing can be sent synchronously; pending bytes go out with the next asynchronous write or flush.
    }

    /// <inheritdoc />
    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_abandoned)
        {
            return;
        }

        await SendPendingAsync(cancellationToken).ConfigureAwait(false);
        await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _pending.Dispose();
        }

        base.Dispose(disposing);
    }

    private async Task SendPendingAsync(CancellationToken cancellationToken)
    {
        if (_pending.Length == 0)
        {
            return;
        }

        await _inner.WriteAsync(_pending.GetBuffer().AsMemory(0, (int)_pending.Length), cancellationToken).ConfigureAwait(false);
        _pending.SetLength(0);
    }
}
