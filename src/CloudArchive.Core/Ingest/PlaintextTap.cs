using System.Security.Cryptography;
using CloudArchive.Dicom;

namespace CloudArchive.Core.Ingest;

/// <summary>
/// A read-only pass-through over the plaintext on its way into the encryptor. It computes, in the same read, the
/// keyed MAC of the whole plaintext and of its first and last encryption regions, so the archive write needs no
/// separate MAC pass and the committed blob can be verified by decrypting only those two regions.
/// </summary>
internal sealed class PlaintextTap : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly long _expectedLength;
    private readonly long _firstEnd;
    private readonly long _lastStart;
    private readonly IncrementalHash _whole;
    private readonly IncrementalHash _first;
    private readonly IncrementalHash? _last;
    private long _position;
    private string? _mac;
    private string? _firstMac;
    private string? _lastMac;

    public PlaintextTap(Stream inner, long expectedLength, int regionLength, ContentMac mac)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(expectedLength, 1);
        _inner = inner;
        _expectedLength = expectedLength;
        RegionLength = regionLength;
        RegionCount = (expectedLength + regionLength - 1) / regionLength;
        _firstEnd = Math.Min(regionLength, expectedLength);
        _lastStart = (RegionCount - 1) * regionLength;
        _whole = mac.CreateIncremental();
        _first = mac.CreateIncremental();
        _last = RegionCount > 1 ? mac.CreateIncremental() : null;
    }

    /// <summary>The encryption region length the first/last region MACs refer to.</summary>
    public int RegionLength { get; }

    /// <summary>How many regions the plaintext spans.</summary>
    public long RegionCount { get; }

    /// <summary>True once the plaintext has been read to its end with exactly the expected length.</summary>
    public bool Completed => _mac is not null;

    /// <summary>MAC of the whole plaintext (hex).</summary>
    public string Mac => _mac ?? throw NotComplete();

    /// <summary>MAC of region 0's plaintext (hex).</summary>
    public string FirstRegionMac => _firstMac ?? throw NotComplete();

    /// <summary>MAC of the last region's plaintext (hex); equal to <see cref="FirstRegionMac"/> for a single region.</summary>
    public string LastRegionMac => _lastMac ?? throw NotComplete();

    /// <summary>Plaintext offset of the last region.</summary>
    public long LastRegionStart => _lastStart;

    public override long Length => _expectedLength;

    public override long Position => _position;

    public override int Read(Span<byte> buffer)
    {
        var read = _inner.Read(buffer);
        Observe(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Observe(buffer.Span[..read]);
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _whole.Dispose();
            _first.Dispose();
            _last?.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Observe(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            if (_position != _expectedLength)
            {
                throw new IOException("The upload ended before its length; it changed while being read.");
            }

            return;
        }

        var start = _position;
        var end = start + data.Length;
        if (end > _expectedLength)
        {
            throw new IOException("The upload delivered more bytes than its length; it changed while being read.");
        }

        _whole.AppendData(data);
        if (start < _firstEnd)
        {
            _first.AppendData(data[..(int)(Math.Min(end, _firstEnd) - start)]);
        }

        if (_last is not null && end > _lastStart)
        {
            _last.AppendData(data[(int)Math.Max(0, _lastStart - start)..]);
        }

        _position = end;
        if (end == _expectedLength)
        {
            // Final as soon as the last byte passes: a reader that stops at the declared length never asks for EOF.
            _mac = Convert.ToHexStringLower(_whole.GetHashAndReset());
            _firstMac = Convert.ToHexStringLower(_first.GetHashAndReset());
            _lastMac = _last is null ? _firstMac : Convert.ToHexStringLower(_last.GetHashAndReset());
        }
    }

    private static InvalidOperationException NotComplete() =>
        new("The plaintext has not been read to its end yet.");
}
