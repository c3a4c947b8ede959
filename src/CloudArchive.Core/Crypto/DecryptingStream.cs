using System.Buffers;
using System.Security.Cryptography;
using CloudArchive.Dicom;

namespace CloudArchive.Core.Crypto;

/// <summary>
/// A read-only stream of plaintext decrypted region by region from CSE v2.x ciphertext. No byte of a region is
/// released before its GCM tag and its position-bound nonce have been verified. Memory is one pooled region buffer.
/// </summary>
public sealed class DecryptingStream : ReadOnlyStream
{
    private readonly Stream _cipher;
    private readonly bool _leaveOpen;
    private readonly AesGcm _aes;
    private readonly int _regionLength;
    private readonly long? _plainLength;
    private readonly long? _endRegion;
    private readonly long _deliverTotal;
    private readonly string _keyId;
    private byte[]? _buffer;
    private long _regionIndex;
    private int _skip;
    private int _outPos;
    private int _outLen;
    private long _delivered;
    private bool _done;
    private int _nonceLayouts;
    private bool _plaintextBuffered;

    internal DecryptingStream(Stream cipher, bool leaveOpen, AesGcm aes, int regionLength, long? plainLength, long firstRegion, long? endRegion, int skip, long deliverTotal, int nonceLayouts, string keyId)
    {
        _cipher = cipher;
        _leaveOpen = leaveOpen;
        _aes = aes;
        _regionLength = regionLength;
        _plainLength = plainLength;
        _regionIndex = firstRegion;
        _endRegion = endRegion;
        _skip = skip;
        _deliverTotal = deliverTotal;
        _nonceLayouts = nonceLayouts;
        _keyId = keyId;
        _buffer = ArrayPool<byte>.Shared.Rent(regionLength + CseFormat.RegionOverhead);
    }

    /// <inheritdoc />
    public override bool CanRead => _buffer is not null;

    /// <summary>The number of plaintext bytes this stream yields, when known.</summary>
    public override long Length => _deliverTotal >= 0 ? _deliverTotal : throw new NotSupportedException("The plaintext length is unknown.");

    /// <inheritdoc />
    public override long Position => _delivered;

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_buffer is null, this);
        while (!buffer.IsEmpty && _outPos == _outLen && !_done)
        {
            int want = NextRegionCipherLength();
            int got = want <= 0 ? 0 : ReadFully(_buffer.AsSpan(0, want));
            if (want <= 0)
            {
                CheckNoTrailingData(_cipher.Read(_buffer.AsSpan(0, 1)));
            }
            else if (CanDecryptDirect(got, buffer.Length))
            {
                return OpenRegion(got, want, buffer);
            }
            else
            {
                OpenRegion(got, want, default);
            }
        }

        return Drain(buffer);
    }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_buffer is null, this);
        while (!buffer.IsEmpty && _outPos == _outLen && !_done)
        {
            int want = NextRegionCipherLength();
            if (want <= 0)
            {
                CheckNoTrailingData(await _cipher.ReadAsync(_buffer.AsMemory(0, 1), cancellationToken).ConfigureAwait(false));
            }
            else
            {
                int got = await ReadFullyAsync(_buffer.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
                if (CanDecryptDirect(got, buffer.Length))
                {
                    return OpenRegion(got, want, buffer.Span);
                }

                OpenRegion(got, want, default);
            }
        }

        return Drain(buffer.Span);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && _buffer is not null)
        {
            // The buffer holds plaintext only if a region was decrypted in place for a small reader buffer; ciphertext
            // needs no wiping, and skipping a 4 MiB memset per blob matters for throughput.
            if (_plaintextBuffered)
            {
                CryptographicOperations.ZeroMemory(_buffer.AsSpan(0, Math.Min(_buffer.Length, _regionLength + CseFormat.RegionOverhead)));
            }

            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
            _aes.Dispose();
            if (!_leaveOpen)
            {
                _cipher.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// Ciphertext bytes of the next region; 0 when the range is complete (then, for a whole-blob read with a known
    /// length, one probe byte checks nothing follows). With an unknown length a full region is requested and a
    /// short read marks the last region.
    /// </summary>
    private int NextRegionCipherLength()
    {
        if (_endRegion is { } end && _regionIndex >= end)
        {
            return 0;
        }

        if (_plainLength is { } p)
        {
            long remaining = p - (_regionIndex * _regionLength);
            if (remaining <= 0)
            {
                return 0;
            }

            return (int)Math.Min(remaining, _regionLength) + CseFormat.RegionOverhead;
        }

        return _regionLength + CseFormat.RegionOverhead;
    }

    private void CheckNoTrailingData(int probe)
    {
        _done = true;
        if (probe > 0 && _endRegion is null)
        {
            throw new EnvelopeDecryptionException(EnvelopeFailureReason.TrailingData, "The ciphertext continues past the recorded plaintext length.", _regionIndex, _keyId);
        }
    }

    /// <summary>
    /// Whether the region just read can be decrypted straight into the caller's buffer (saving a copy): it starts at
    /// the first wanted byte, fits, and is wanted entirely.
    /// </summary>
    private bool CanDecryptDirect(int got, int destinationLength)
    {
        int plainCount = got - CseFormat.RegionOverhead;
        return plainCount > 0 && _skip == 0 && destinationLength >= plainCount
            && (_deliverTotal < 0 || _deliverTotal - _delivered >= plainCount);
    }

    /// <summary>
    /// Verifies and decrypts the region in the buffer, into <paramref name="destination"/> when it is not empty
    /// (returning the byte count) or in place for <see cref="Drain"/> (returning 0).
    /// </summary>
    private int OpenRegion(int got, int want, Span<byte> destination)
    {
        var buf = _buffer!;
        if (got < want)
        {
            if (_plainLength is not null)
            {
                throw new EnvelopeDecryptionException(EnvelopeFailureReason.Truncated, "The ciphertext ends before the recorded plaintext length.", _regionIndex, _keyId);
            }

            if (got == 0)
            {
                _done = true;
                return 0;
            }

            if (got <= CseFormat.RegionOverhead)
            {
                throw new EnvelopeDecryptionException(EnvelopeFailureReason.Truncated, "The last region is too short to hold a nonce and a tag.", _regionIndex, _keyId);
            }
        }

        int plainCount = got - CseFormat.RegionOverhead;
        var nonce = buf.AsSpan(0, CseFormat.NonceLength);
        int layouts = RegionNonce.Match(nonce, _regionIndex) & _nonceLayouts;
        if (layouts == 0)
        {
            throw new EnvelopeDecryptionException(EnvelopeFailureReason.RegionOutOfOrder, "A region's nonce does not match its position: regions were reordered, duplicated or spliced from another blob.", _regionIndex, _keyId);
        }

        _nonceLayouts = layouts;
        var data = buf.AsSpan(CseFormat.NonceLength, plainCount);
        var tag = buf.AsSpan(CseFormat.NonceLength + plainCount, CseFormat.TagLength);
        var output = destination.IsEmpty ? data : destination[..plainCount];
        _plaintextBuffered |= destination.IsEmpty;
        try
        {
            // AesGcm writes plaintext only after the tag verifies (and zeroes it on failure), so nothing unauthenticated leaks.
            _aes.Decrypt(nonce, data, tag, output);
        }
        catch (AuthenticationTagMismatchException ex)
        {
            CryptographicOperations.ZeroMemory(output);
            throw new EnvelopeDecryptionException(EnvelopeFailureReason.Tampered, "A region failed GCM authentication: the ciphertext was altered or the content key is wrong.", _regionIndex, _keyId, ex);
        }

        if (!destination.IsEmpty)
        {
            _regionIndex++;
            _delivered += plainCount;
            _outPos = _outLen = 0;
            if (_plainLength is null && got < want)
            {
                _done = true;
            }

            return plainCount;
        }

        _regionIndex++;
        _outPos = CseFormat.NonceLength + _skip;
        _outLen = CseFormat.NonceLength + plainCount;
        _skip = 0;
        if (_outPos > _outLen)
        {
            _outPos = _outLen;
        }

        if (_plainLength is null && got < want)
        {
            _done = true;
        }

        return 0;
    }

    private int Drain(Span<byte> destination)
    {
        long left = _deliverTotal >= 0 ? _deliverTotal - _delivered : long.MaxValue;
        int n = (int)Math.Min(Math.Min(destination.Length, _outLen - _outPos), left);
        if (n <= 0)
        {
            return 0;
        }

        _buffer.AsSpan(_outPos, n).CopyTo(destination);
        _outPos += n;
        _delivered += n;
        return n;
    }

    private int ReadFully(Span<byte> target)
    {
        int n = 0;
        while (n < target.Length)
        {
            int r = _cipher.Read(target[n..]);
            if (r == 0)
            {
                break;
            }

            n += r;
        }

        return n;
    }

    private async ValueTask<int> ReadFullyAsync(Memory<byte> target, CancellationToken cancellationToken)
    {
        int n = 0;
        while (n < target.Length)
        {
            int r = await _cipher.ReadAsync(target[n..], cancellationToken).ConfigureAwait(false);
            if (r == 0)
            {
                break;
            }

            n += r;
        }

        return n;
    }
}
