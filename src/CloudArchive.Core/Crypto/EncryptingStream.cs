using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using CloudArchive.Dicom;

namespace CloudArchive.Core.Crypto;

/// <summary>
/// A read-only stream that pulls plaintext from a source stream and yields CSE v2.1 ciphertext, one region at a
/// time, so it can be handed straight to a blob upload. Memory is at most one region buffer from <see cref="ArrayPool{T}"/>;
/// a reader offering at least region + 28 bytes per read gets ciphertext encrypted in place in its own buffer.
/// </summary>
/// <remarks>
/// The metadata to store with the blob is <see cref="GetMetadata"/>, for the name the blob is written under. When the
/// plaintext length is known up front (declared by the caller, or a seekable source) the metadata is final immediately
/// and the source is checked to deliver exactly that many bytes; otherwise it becomes final when this stream has been
/// read to the end.
/// </remarks>
public sealed class EncryptingStream : ReadOnlyStream
{
    private readonly Stream _source;
    private readonly bool _leaveOpen;
    private readonly AesGcm _aes;
    private readonly byte[] _bindingKey;
    private readonly int _regionLength;
    private readonly long? _declaredPlainLength;
    private byte[]? _buffer;
    private bool _disposed;
    private int _bufferHighWater;
    private int _outPos;
    private int _outLen;
    private long _regionIndex;
    private long _plainTotal;
    private long _position;
    private bool _sourceDone;

    // The binding key (for ca_envelopemac, derived from the content key) is owned: zeroed on dispose.
    internal EncryptingStream(Stream source, bool leaveOpen, AesGcm aes, byte[] bindingKey, int regionLength, EncryptionData data, long? declaredPlainLength)
    {
        _source = source;
        _leaveOpen = leaveOpen;
        _aes = aes;
        _bindingKey = bindingKey;
        _regionLength = regionLength;
        EncryptionData = data;
        EncryptionDataJson = EncryptionDataSerializer.Serialize(data);
        _declaredPlainLength = declaredPlainLength ?? (source.CanSeek ? source.Length - source.Position : null);
    }

    /// <summary>The <c>encryptiondata</c> content of this blob.</summary>
    public EncryptionData EncryptionData { get; }

    /// <summary>The serialized <c>encryptiondata</c> JSON.</summary>
    public string EncryptionDataJson { get; }

    /// <summary>True once the plaintext length is known, i.e. <see cref="GetMetadata"/> may be called.</summary>
    public bool IsMetadataFinal => _declaredPlainLength.HasValue || _sourceDone;

    /// <summary>The plaintext length, when known.</summary>
    public long? PlainLength => _declaredPlainLength ?? (_sourceDone ? _plainTotal : null);

    /// <inheritdoc />
    public override bool CanRead => !_disposed;

    /// <summary>The ciphertext length; known only when the source is seekable.</summary>
    public override long Length => _declaredPlainLength is { } p
        ? CseFormat.CiphertextLength(p, _regionLength)
        : throw new NotSupportedException("The ciphertext length is unknown until a non-seekable source is read to the end.");

    /// <inheritdoc />
    public override long Position => _position;

    /// <summary>
    /// The blob metadata to store: <c>encryptiondata</c>, <c>ca_plainlength</c> and <c>ca_envelopemac</c>, which binds
    /// both to <paramref name="blobName"/> (a reader given another name refuses the blob).
    /// </summary>
    /// <param name="blobName">The name the blob is written under, within its container (e.g. <c>studies/{studyKey}/{instanceKey}.dcm.enc</c>).</param>
    /// <exception cref="InvalidOperationException">The plaintext length is not known yet.</exception>
    /// <exception cref="ObjectDisposedException">The stream was disposed (its binding key is gone).</exception>
    public IReadOnlyDictionary<string, string> GetMetadata(string blobName)
    {
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var length = PlainLength ?? throw new InvalidOperationException("Metadata is final only after the non-seekable plaintext source has been read to the end.");
        return new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [CseFormat.EncryptionDataMetadataName] = EncryptionDataJson,
            [CseFormat.PlainLengthMetadataName] = length.ToString(CultureInfo.InvariantCulture),
            [CseFormat.EnvelopeMacMetadataName] = EnvelopeBinding.Compute(_bindingKey, blobName, length, EncryptionDataJson),
        };
    }

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (_outPos == _outLen && !_sourceDone && buffer.Length >= _regionLength + CseFormat.RegionOverhead)
        {
            // Fast path: the caller's buffer holds a whole region, so encrypt in place there and skip a copy.
            var direct = buffer[..(_regionLength + CseFormat.RegionOverhead)];
            int got = 0;
            while (got < _regionLength)
            {
                int r = _source.Read(direct.Slice(CseFormat.NonceLength + got, _regionLength - got));
                if (r == 0)
                {
                    break;
                }

                got += r;
            }

            return SealInto(direct, got);
        }

        if (_outPos == _outLen && !_sourceDone)
        {
            int n = 0;
            var target = RentBuffer().AsSpan(CseFormat.NonceLength, _regionLength);
            while (n < _regionLength)
            {
                int r = _source.Read(target[n..]);
                if (r == 0)
                {
                    break;
                }

                n += r;
                _bufferHighWater = Math.Max(_bufferHighWater, CseFormat.NonceLength + n);
            }

            SealRegion(n);
        }

        return Drain(buffer);
    }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (_outPos == _outLen && !_sourceDone && buffer.Length >= _regionLength + CseFormat.RegionOverhead)
        {
            var direct = buffer[..(_regionLength + CseFormat.RegionOverhead)];
            int got = 0;
            while (got < _regionLength)
            {
                int r = await _source.ReadAsync(direct.Slice(CseFormat.NonceLength + got, _regionLength - got), cancellationToken).ConfigureAwait(false);
                if (r == 0)
                {
                    break;
                }

                got += r;
            }

            return SealInto(direct.Span, got);
        }

        if (_outPos == _outLen && !_sourceDone)
        {
            int n = 0;
            var target = RentBuffer().AsMemory(CseFormat.NonceLength, _regionLength);
            while (n < _regionLength)
            {
                int r = await _source.ReadAsync(target[n..], cancellationToken).ConfigureAwait(false);
                if (r == 0)
                {
                    break;
                }

                n += r;
                _bufferHighWater = Math.Max(_bufferHighWater, CseFormat.NonceLength + n);
            }

            SealRegion(n);
        }

        return Drain(buffer.Span);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            if (_buffer is not null)
            {
                // Only the part ever written can hold plaintext (a stream ending on a region boundary rents the buffer
                // for a final empty read and never writes to it).
                CryptographicOperations.ZeroMemory(_buffer.AsSpan(0, _bufferHighWater));
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = null;
            }

            _aes.Dispose();
            CryptographicOperations.ZeroMemory(_bindingKey);
            if (!_leaveOpen)
            {
                _source.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    /// <summary>The staging buffer is rented only when a reader's buffer is too small for in-place encryption.</summary>
    private byte[] RentBuffer() => _buffer ??= ArrayPool<byte>.Shared.Rent(_regionLength + CseFormat.RegionOverhead);

    private void SealRegion(int plainCount)
    {
        _bufferHighWater = Math.Max(_bufferHighWater, plainCount + CseFormat.RegionOverhead);
        _outPos = 0;
        _outLen = SealInto(_buffer!, plainCount);
        _position -= _outLen;
    }

    /// <summary>Encrypts the plaintext at <c>region[12..12+plainCount]</c> in place, writes nonce and tag around it, returns the region length.</summary>
    private int SealInto(Span<byte> region, int plainCount)
    {
        if (plainCount == 0)
        {
            Finish();
            return 0;
        }

        // A GCM nonce must never repeat under one key; the index is the invocation counter (SP 800-38D §8.2.1).
        var nonce = region[..CseFormat.NonceLength];
        RegionNonce.Write(nonce, _regionIndex);
        var data = region.Slice(CseFormat.NonceLength, plainCount);
        var tag = region.Slice(CseFormat.NonceLength + plainCount, CseFormat.TagLength);
        _aes.Encrypt(nonce, data, data, tag);
        _regionIndex++;
        _plainTotal += plainCount;
        int length = plainCount + CseFormat.RegionOverhead;
        _position += length;
        CheckLength(plainCount);
        return length;
    }

    private void CheckLength(int plainCount)
    {
        if (plainCount < _regionLength)
        {
            Finish();
        }
        else if (_declaredPlainLength is { } d && _plainTotal > d)
        {
            throw new IOException("The plaintext source delivered more bytes than its declared length; the blob would not match its recorded length.");
        }
    }

    private void Finish()
    {
        _sourceDone = true;
        if (_declaredPlainLength is { } d && d != _plainTotal)
        {
            throw new IOException("The plaintext source changed length while it was being encrypted; the blob would not match its recorded length.");
        }
    }

    private int Drain(Span<byte> destination)
    {
        int n = Math.Min(destination.Length, _outLen - _outPos);
        _buffer.AsSpan(_outPos, n).CopyTo(destination);
        _outPos += n;
        _position += n;
        return n;
    }
}
