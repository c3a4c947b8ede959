namespace CloudArchive.Dicom.Tests.Oracle;

/// <summary>Hides seeking, like a network or blob download stream, so the reader takes its spooling path.</summary>
public sealed class NonSeekableReadStream(Stream inner) : ReadOnlyStream
{
    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
