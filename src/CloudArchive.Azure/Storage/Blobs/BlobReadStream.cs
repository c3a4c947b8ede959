using System.Buffers;
using Azure;

namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>
/// A read-only, seekable stream over one version of a blob (pinned by ETag): each read outside the
/// current chunk fetches one ranged GET of <see cref="StorageOptions.ReadChunkBytes"/>. Memory held is one
/// pooled chunk. If the blob changes, reads fail with a 412 <see cref="StorageRequestException"/>.
/// </summary>
public sealed class BlobReadStream : Stream
{
    private readonly BlobClient _blob;
    private readonly int _chunkSize;
    private byte[]? _chunk;
    private long _chunkStart;
    private int _chunkLength;
    private long _position;

    internal BlobReadStream(BlobClient blob, BlobProperties properties, int chunkSize)
    {
        _blob = blob;
        Properties = properties;
        _chunkSize = chunkSize;
    }

    /// <summary>Starts with bytes [0, <paramref name="prefetchedLength"/>) already in <paramref name="prefetched"/> (a pooled chunk, now owned).</summary>
    internal BlobReadStream(BlobClient blob, BlobProperties properties, int chunkSize, byte[] prefetched, int prefetchedLength)
        : this(blob, properties, chunkSize)
    {
        _chunk = prefetched;
        _chunkStart = 0;
        _chunkLength = prefetchedLength;
    }

    /// <summary>
    /// Opens a forward-only stream over this blob version from <paramref name="offset"/> to its end: bytes still in
    /// this stream's current chunk are served from it, the rest come from one streaming GET pinned to the ETag
    /// (resumed on a broken connection), which is far cheaper than chunk-sized ranged GETs for a whole-blob pass.
    /// The result shares this stream's chunk: do not read or seek this stream, or dispose it, while the result is in use.
    /// </summary>
    public Stream OpenSequential(long offset = 0)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, Length);
        var cached = _chunk is not null && offset >= _chunkStart && offset < _chunkStart + _chunkLength
            ? new ArraySegment<byte>(_chunk, (int)(offset - _chunkStart), (int)(_chunkStart + _chunkLength - offset))
            : ArraySegment<byte>.Empty;
        return new BlobSequentialReadStream(_blob, ETag, offset, Length, cached);
    }

    /// <summary>The properties (length, ETag, metadata) of the blob version being read.</summary>
    public BlobProperties Properties { get; }

    /// <summary>The ETag every ranged read is pinned to.</summary>
    public ETag ETag => Properties.ETag;

    /// <inheritdoc />
    public override bool CanRead => !_disposed;

    /// <inheritdoc />
    public override bool CanSeek => !_disposed;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => Properties.ContentLength;

    /// <inheritdoc />
    public override long Position
    {
        get => _position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _position = value;
        }
    }

    private bool _disposed;

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        if (!EnsureChunkAsync(async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult())
        {
            return 0;
        }

        return CopyFromChunk(buffer);
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!await EnsureChunkAsync(async: true, cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        return CopyFromChunk(buffer.Span);
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        Position = target;
        return target;
    }

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException("A blob read stream is read-only.");

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A blob read stream is read-only.");

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            if (_chunk is not null)
            {
                BlobBufferPool.Instance.Return(_chunk);
                _chunk = null;
            }
        }

        base.Dispose(disposing);
    }

    private int CopyFromChunk(Span<byte> destination)
    {
        var offsetInChunk = (int)(_position - _chunkStart);
        var n = Math.Min(destination.Length, _chunkLength - offsetInChunk);
        _chunk.AsSpan(offsetInChunk, n).CopyTo(destination);
        _position += n;
        return n;
    }

    private async ValueTask<bool> EnsureChunkAsync(bool async, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_position >= Length)
        {
            return false;
        }

        if (_chunk is not null && _position >= _chunkStart && _position < _chunkStart + _chunkLength)
        {
            return true;
        }

        _chunk ??= BlobBufferPool.Instance.Rent(_chunkSize);
        var length = (int)Math.Min(_chunkSize, Length - _position);
        _chunkLength = 0;
        var conditions = new BlobRequestConditions { IfMatch = ETag };
        await using (var download = await _blob.DownloadCoreAsync(new BlobRange(_position, length), conditions, async, cancellationToken).ConfigureAwait(false))
        {
            var filled = 0;
            while (filled < length)
            {
                var read = async
                    ? await download.Content.ReadAsync(_chunk.AsMemory(filled, length - filled), cancellationToken).ConfigureAwait(false)
                    : download.Content.Read(_chunk, filled, length - filled);
                if (read == 0)
                {
                    throw new IOException("The blob returned fewer bytes than its length promised.");
                }

                filled += read;
            }
        }

        _chunkStart = _position;
        _chunkLength = length;
        return true;
    }
}
