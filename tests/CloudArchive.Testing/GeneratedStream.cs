using System.Buffers.Binary;

namespace CloudArchive.Testing;

/// <summary>
/// A read-only stream of <see cref="Length"/> pseudo-random bytes that are a pure function of (seed, position):
/// big test payloads without big arrays or files, reproducible for comparing hashes. Seekable or not, as asked,
/// to exercise both upload paths.
/// </summary>
public sealed class GeneratedStream : Stream
{
    private readonly ulong _seed;
    private readonly bool _seekable;
    private long _position;

    /// <summary>Creates a stream of <paramref name="length"/> bytes generated from <paramref name="seed"/>.</summary>
    public GeneratedStream(long length, ulong seed = 1, bool seekable = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        _seed = seed;
        _seekable = seekable;
    }

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => _seekable;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length { get; }

    /// <inheritdoc />
    public override long Position
    {
        get => _position;
        set
        {
            if (!_seekable)
            {
                throw new NotSupportedException("This generated stream was created non-seekable.");
            }

            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _position = value;
        }
    }

    /// <summary>The SHA-256 of the whole content, computed by streaming it.</summary>
    public static byte[] ComputeSha256(long length, ulong seed = 1)
    {
        using var stream = new GeneratedStream(length, seed);
        return System.Security.Cryptography.SHA256.HashData(stream);
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        var n = (int)Math.Min(buffer.Length, Length - _position);
        if (n <= 0)
        {
            return 0;
        }

        Fill(_seed, _position, buffer[..n]);
        _position += n;
        return n;
    }

    /// <inheritdoc />
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

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
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Writes the bytes at <paramref name="position"/> into <paramref name="destination"/>.</summary>
    public static void Fill(ulong seed, long position, Span<byte> destination)
    {
        Span<byte> word = stackalloc byte[8];
        var i = 0;
        while (i < destination.Length)
        {
            var absolute = position + i;
            var wordIndex = (ulong)(absolute >> 3);
            var within = (int)(absolute & 7);
            BinaryPrimitives.WriteUInt64LittleEndian(word, SplitMix(seed ^ (wordIndex * 0x9E3779B97F4A7C15UL)));
            var take = Math.Min(8 - within, destination.Length - i);
            word.Slice(within, take).CopyTo(destination.Slice(i, take));
            i += take;
        }
    }

    private static ulong SplitMix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
