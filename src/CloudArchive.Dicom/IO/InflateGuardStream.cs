namespace CloudArchive.Dicom;

/// <summary>
/// Wraps the inflater: counts compressed input and inflated output and stops a deflate bomb with
/// <see cref="DicomFormatException"/> before it can exhaust memory, disk or time.
/// </summary>
internal sealed class InflateGuardStream : ReadOnlyStream
{
    private readonly Stream inflater;
    private readonly CountingStream compressed;
    private readonly DicomReaderOptions options;
    private readonly long startOffset;
    private long inflated;

    public InflateGuardStream(Stream inflater, CountingStream compressed, DicomReaderOptions options, long startOffset)
    {
        this.inflater = inflater;
        this.compressed = compressed;
        this.options = options;
        this.startOffset = startOffset;
    }

    public override long Position => inflated;

    public override int Read(Span<byte> buffer) => Check(inflater.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Check(await inflater.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inflater.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Check(int n)
    {
        inflated += n;
        if (inflated > options.MaxInflatedLength)
        {
            throw new DicomFormatException("deflated dataset inflates beyond the configured limit (deflate bomb?)", startOffset + inflated);
        }

        if (inflated > options.DeflateRatioGraceLength && inflated > (long)options.MaxDeflateRatio * Math.Max(1, compressed.Count))
        {
            throw new DicomFormatException("deflated dataset exceeds the maximum compression ratio (deflate bomb?)", startOffset + inflated);
        }

        return n;
    }
}
