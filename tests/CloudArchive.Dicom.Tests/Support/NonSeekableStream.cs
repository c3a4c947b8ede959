namespace CloudArchive.Dicom.Tests.Support;

/// <summary>Wraps a stream and hides seeking, like a network or blob download stream; optionally short reads.</summary>
public sealed class NonSeekableStream : ReadOnlyStream
{
    private readonly Stream inner;
    private readonly int maxRead;

    public NonSeekableStream(Stream inner, int maxRead = int.MaxValue)
    {
        this.inner = inner;
        this.maxRead = maxRead;
    }

    public override int Read(Span<byte> buffer) => inner.Read(buffer[..Math.Min(buffer.Length, maxRead)]);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer[..Math.Min(buffer.Length, maxRead)], cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
