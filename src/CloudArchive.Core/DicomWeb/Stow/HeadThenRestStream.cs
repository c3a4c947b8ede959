using CloudArchive.Dicom;

namespace CloudArchive.Core.DicomWeb.Stow;

/// <summary>A forward-only stream that yields an already-read head and then the rest of the source it was read from.</summary>
internal sealed class HeadThenRestStream(byte[] head, int headLength, Stream rest) : ReadOnlyStream
{
    private int _headPosition;
    private long _position;

    public override long Position => _position;

    public override int Read(Span<byte> buffer)
    {
        if (_headPosition < headLength)
        {
            return FromHead(buffer);
        }

        var read = rest.Read(buffer);
        _position += read;
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_headPosition < headLength)
        {
            return FromHead(buffer.Span);
        }

        var read = await rest.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        _position += read;
        return read;
    }

    private int FromHead(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, headLength - _headPosition);
        head.AsSpan(_headPosition, count).CopyTo(buffer);
        _headPosition += count;
        _position += count;
        return count;
    }
}
