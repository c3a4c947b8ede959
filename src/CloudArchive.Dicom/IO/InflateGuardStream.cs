namespace CloudArchive.Dicom;

/// <summary>
/// Wraps the inflater: counts compressed input and inflated output and stops a deflate bomb with
/// <see cref="DicomFormatException"/> before it can exhaust memory, disk or time.
/// </summary>
internal sealed class InflateGuardStream : Stream
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

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => inflated;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Check(inflater.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Check(await inflater.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Check(await inflater.ReadAsync(buffer.AsMemory(offset, count), cancellationToken).ConfigureAwait(false));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

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
