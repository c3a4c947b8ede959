namespace CloudArchive.Dicom;

/// <summary>
/// Wraps the inflater: counts compressed input and inflated output and stops a deflate bomb with
/// <see cref="DicomFormatException"/> before it can exhaust memory, disk or time.
/// </summary>
internal sealed class InflateGuardStream : ReadOnlyStream
{
    private readonly Stream _inflater;
    private readonly CountingStream _compressed;
    private readonly DicomReaderOptions _options;
    private readonly long _startOffset;
    private long _inflated;

    public InflateGuardStream(Stream inflater, CountingStream compressed, DicomReaderOptions options, long startOffset)
    {
        this._inflater = inflater;
        this._compressed = compressed;
        this._options = options;
        this._startOffset = startOffset;
    }

    public override long Position => _inflated;

    public override int Read(Span<byte> buffer) => Check(_inflater.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Check(await _inflater.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inflater.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Check(int n)
    {
        _inflated += n;
        if (_inflated > _options.MaxInflatedLength)
        {
            throw new DicomFormatException("deflated dataset inflates beyond the configured limit (deflate bomb?)", _startOffset + _inflated);
        }

        if (_inflated > _options.DeflateRatioGraceLength && _inflated > (long)_options.MaxDeflateRatio * Math.Max(1, _compressed.Count))
        {
            throw new DicomFormatException("deflated dataset exceeds the maximum compression ratio (deflate bomb?)", _startOffset + _inflated);
        }

        return n;
    }
}
