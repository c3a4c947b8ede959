using System.Buffers;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>
/// A seekable, read-only view of one version of a blob: ranged GETs of a fixed chunk size, each pinned to the ETag the
/// first read saw, so a blob replaced while it is read fails with 412 instead of mixing two uploads.
/// </summary>
/// <remarks>
/// The SDK's own <c>OpenRead</c> pins the version too but does not expose its ETag, and the ingest needs the ETag to
/// delete exactly the version it archived. The first chunk comes with the blob's properties (no separate HEAD), so a
/// typical instance is read with one request.
/// </remarks>
public sealed class PinnedBlobReadStream : Stream
{
    private readonly BlobClient _blob;
    private readonly int _chunkSize;
    private byte[]? _chunk;
    private long _chunkStart;
    private int _chunkLength;
    private long _position;
    private bool _disposed;

    private PinnedBlobReadStream(BlobClient blob, int chunkSize, ETag etag, long length, IDictionary<string, string> metadata)
    {
        _blob = blob;
        _chunkSize = chunkSize;
        ETag = etag;
        Length = length;
        Metadata = metadata;
    }

    /// <summary>The version being read.</summary>
    public ETag ETag { get; }

    /// <summary>The blob's metadata as of that version.</summary>
    public IDictionary<string, string> Metadata { get; }

    /// <inheritdoc />
    public override long Length { get; }

    /// <inheritdoc />
    public override bool CanRead => !_disposed;

    /// <inheritdoc />
    public override bool CanSeek => !_disposed;

    /// <inheritdoc />
    public override bool CanWrite => false;

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

    /// <summary>Opens the blob, reading its first chunk.</summary>
    /// <exception cref="StorageRequestException">404 when the blob does not exist, or any other refusal.</exception>
    public static async Task<PinnedBlobReadStream> OpenAsync(BlobClient blob, int chunkSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        BlobDownloadStreamingResult first;
        try
        {
            first = await StorageCall.RunAsync("GetBlob", async () => (await blob.DownloadStreamingAsync(new BlobDownloadOptions { Range = new HttpRange(0, chunkSize) }, cancellationToken).ConfigureAwait(false)).Value).ConfigureAwait(false);
        }
        catch (StorageRequestException ex) when (ex.Status == 416)
        {
            // An empty blob has no byte 0 to range over: its properties are all there is.
            var properties = await StorageCall.RunAsync("GetBlobProperties", () => blob.GetPropertiesAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
            return new PinnedBlobReadStream(blob, chunkSize, properties.Value.ETag, properties.Value.ContentLength, properties.Value.Metadata);
        }

        using (first)
        {
            var length = BlobRangeInfo.TotalLength(first.Details);
            var stream = new PinnedBlobReadStream(blob, chunkSize, first.Details.ETag, length, first.Details.Metadata);
            var count = (int)Math.Min(chunkSize, length);
            if (count > 0)
            {
                stream._chunk = ArrayPool<byte>.Shared.Rent(chunkSize);
                await ReadExactlyAsync(first.Content, stream._chunk, count, cancellationToken).ConfigureAwait(false);
                stream._chunkLength = count;
            }

            return stream;
        }
    }

    /// <summary>
    /// A forward-only stream of the same version from <paramref name="offset"/>: the cached chunk, then one GET for the
    /// rest (the SDK resumes it from the current offset, still pinned, when a connection breaks).
    /// </summary>
    public Stream OpenSequential(long offset = 0)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, Length);
        var cached = _chunk is not null && offset >= _chunkStart && offset < _chunkStart + _chunkLength
            ? _chunk.AsMemory((int)(offset - _chunkStart), (int)(_chunkStart + _chunkLength - offset)).ToArray()
            : [];
        return new PinnedSequentialReadStream(_blob, ETag, offset, Length, cached);
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        var rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            var read = ReadAsync(rented.AsMemory(0, buffer.Length), CancellationToken.None).AsTask().GetAwaiter().GetResult();
            rented.AsSpan(0, read).CopyTo(buffer);
            return read;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.Length == 0 || _position >= Length)
        {
            return 0;
        }

        if (_chunk is null || _position < _chunkStart || _position >= _chunkStart + _chunkLength)
        {
            await FetchChunkAsync(cancellationToken).ConfigureAwait(false);
        }

        var offsetInChunk = (int)(_position - _chunkStart);
        var n = Math.Min(buffer.Length, _chunkLength - offsetInChunk);
        _chunk.AsMemory(offsetInChunk, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        return _position;
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
                ArrayPool<byte>.Shared.Return(_chunk);
                _chunk = null;
            }
        }

        base.Dispose(disposing);
    }

    private async Task FetchChunkAsync(CancellationToken cancellationToken)
    {
        _chunk ??= ArrayPool<byte>.Shared.Rent(_chunkSize);
        var count = (int)Math.Min(_chunkSize, Length - _position);
        _chunkLength = 0;
        var options = new BlobDownloadOptions { Range = new HttpRange(_position, count), Conditions = new BlobRequestConditions { IfMatch = ETag } };
        using (var download = await StorageCall.RunAsync("GetBlob", async () => (await _blob.DownloadStreamingAsync(options, cancellationToken).ConfigureAwait(false)).Value).ConfigureAwait(false))
        {
            await ReadExactlyAsync(download.Content, _chunk, count, cancellationToken).ConfigureAwait(false);
        }

        _chunkStart = _position;
        _chunkLength = count;
    }

    private static async Task ReadExactlyAsync(Stream source, byte[] destination, int count, CancellationToken cancellationToken)
    {
        try
        {
            await source.ReadExactlyAsync(destination.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException)
        {
            throw new IOException("The blob returned fewer bytes than its length promised.");
        }
        catch (Exception ex) when (StorageErrors.TryGetFailure(ex, out var failure))
        {
            throw StorageErrors.From(failure, "GetBlob");
        }
    }
}
