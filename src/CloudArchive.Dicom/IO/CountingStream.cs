namespace CloudArchive.Dicom;

/// <summary>A read-only pass-through that first serves a prefix, then the inner stream, counting bytes served.</summary>
internal sealed class CountingStream : ReadOnlyStream
{
    private readonly Stream inner;
    private readonly byte[] prefix;
    private int prefixPos;

    public CountingStream(Stream inner, ReadOnlySpan<byte> prefix)
    {
        this.inner = inner;
        this.prefix = prefix.ToArray();
    }

    public long Count { get; private set; }

    public override long Position => Count;

    public override int Read(Span<byte> buffer)
    {
        if (prefixPos < prefix.Length)
        {
            var n = Math.Min(buffer.Length, prefix.Length - prefixPos);
            prefix.AsSpan(prefixPos, n).CopyTo(buffer);
            prefixPos += n;
            Count += n;
            return n;
        }

        var r = inner.Read(buffer);
        Count += r;
        return r;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (prefixPos < prefix.Length)
        {
            return Read(buffer.Span);
        }

        var r = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Count += r;
        return r;
    }
}
