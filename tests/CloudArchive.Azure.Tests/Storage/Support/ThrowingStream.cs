namespace CloudArchive.Azure.Tests.Storage.Support;

/// <summary>A non-seekable source that yields <c>failAfter</c> zero bytes and then throws, like a client whose upload broke off.</summary>
internal sealed class ThrowingStream(int failAfter) : Stream
{
    private int _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_read >= failAfter)
        {
            throw new IOException("source broke");
        }

        var n = Math.Min(count, failAfter - _read);
        Array.Clear(buffer, offset, n);
        _read += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
