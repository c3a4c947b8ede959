using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Testing;
using Xunit;

namespace CloudArchive.Azure.Tests.Storage.Blobs;

public sealed class BlobDownloadStreamTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_broken_download_resumes_from_the_byte_where_it_broke()
    {
        const int size = 100_000;
        var reopenedAt = new List<long>();
        var stream = new BlobDownloadStream(new BreakingStream(new GeneratedStream(size, 4), breakAfter: 30_000), 0, size, maxResumes: 3, (offset, remaining, _, _) =>
        {
            reopenedAt.Add(offset);
            var rest = new GeneratedStream(size, 4, seekable: true) { Position = offset };
            return ValueTask.FromResult<Stream>(new BreakingStream(rest, breakAfter: offset == 30_000 ? 20_000 : int.MaxValue));
        });

        var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        Assert.Equal([30_000L, 50_000L], reopenedAt);
        var expected = new byte[size];
        GeneratedStream.Fill(4, 0, expected);
        Assert.Equal(expected, copy.ToArray());
    }

    [Fact]
    public async Task A_download_that_ends_early_too_often_fails_instead_of_returning_short_data()
    {
        var stream = new BlobDownloadStream(new MemoryStream(new byte[10]), 0, 100, maxResumes: 2, (_, _, _, _) => ValueTask.FromResult<Stream>(new MemoryStream(new byte[5])));
        var copy = new MemoryStream();
        var ex = await Assert.ThrowsAsync<IOException>(() => stream.CopyToAsync(copy, Ct));
        Assert.Contains("ended before", ex.Message, StringComparison.Ordinal);
    }

    private sealed class BreakingStream(Stream inner, int breakAfter) : Stream
    {
        private int _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_read >= breakAfter)
            {
                throw new IOException("connection reset");
            }

            var n = inner.Read(buffer, offset, Math.Min(count, breakAfter - _read));
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
}
