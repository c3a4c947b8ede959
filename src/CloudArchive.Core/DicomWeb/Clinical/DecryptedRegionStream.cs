using System.Buffers;

namespace CloudArchive.Core.DicomWeb.Clinical;

/// <summary>
/// A read-only, seekable, asynchronous view of a decrypted archive instance that holds one encryption region (pooled, returned on dispose): a read
/// outside the held region fetches the region it falls into with one ranged read (<see cref="ClinicalInstanceReader.OpenRangeAsync"/>).
/// Synchronous reads are refused: the network read behind them must not block a thread.
/// </summary>
internal sealed class DecryptedRegionStream : Stream
{
    private readonly ClinicalInstanceReader _reader;
    private readonly ArchivedInstance _instance;
    private readonly int _regionLength;
    private byte[]? _region;
    private long _regionStart = -1;
    private int _regionCount;
    private long _position;

    public DecryptedRegionStream(ClinicalInstanceReader reader, ArchivedInstance instance)
    {
        _reader = reader;
        _instance = instance;
        _regionLength = reader.RegionLength(instance);
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _instance.PlainLength;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("Read the decrypted instance asynchronously.");

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= Length || buffer.IsEmpty)
        {
            return 0;
        }

        if (_region is null || _position < _regionStart || _position >= _regionStart + _regionCount)
        {
            await LoadRegionAsync(_position / _regionLength * _regionLength, cancellationToken).ConfigureAwait(false);
        }

        var at = (int)(_position - _regionStart);
        var n = Math.Min(buffer.Length, _regionCount - at);
        _region.AsSpan(at, n).CopyTo(buffer.Span);
        _position += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => Length + offset,
        };
        return _position;
    }

    public override void Flush()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _region is { } region)
        {
            _region = null;
            ArrayPool<byte>.Shared.Return(region);
        }

        base.Dispose(disposing);
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private async Task LoadRegionAsync(long start, CancellationToken cancellationToken)
    {
        var count = (int)Math.Min(_regionLength, Length - start);
        _region ??= ArrayPool<byte>.Shared.Rent(_regionLength);
        _regionStart = -1;
        var plain = await _reader.OpenRangeAsync(_instance, start, count, cancellationToken).ConfigureAwait(false);
        await using (plain.ConfigureAwait(false))
        {
            await plain.ReadExactlyAsync(_region.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
        }

        _regionStart = start;
        _regionCount = count;
    }
}
